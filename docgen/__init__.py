"""docgen: API reference pages in Markdown -> Pydantic models, an httpx client and OpenAPI 3.1."""

__version__ = "0.1.0"
