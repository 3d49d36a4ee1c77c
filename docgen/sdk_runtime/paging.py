"""Lists that page: the rows, read across pages as they are wanted, and the pages themselves
(`by_page()`), each with its rows, the server's next link and whether the list goes on."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its rows, the next link the server gave (None when it pages by
    offset or gave none) and whether another page follows."""

    items: list[T]
    next_link: str | None
    has_next: bool


class Pager(Generic[T]):
    """The rows of a list, fetched page after page while they are read (nothing is fetched
    before); each iteration starts again from the first page."""

    def __init__(self, pages: Callable[[], Iterator[Page[T]]]) -> None:
        self._pages = pages

    def __iter__(self) -> Iterator[T]:
        for page in self._pages():
            yield from page.items

    def by_page(self) -> Iterator[Page[T]]:
        return self._pages()


class AsyncPager(Generic[T]):
    """The async client's `Pager`: `async for row in ...`, and `by_page()`."""

    def __init__(self, pages: Callable[[], AsyncIterator[Page[T]]]) -> None:
        self._pages = pages

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self._pages():
            for item in page.items:
                yield item

    def by_page(self) -> AsyncIterator[Page[T]]:
        return self._pages()
