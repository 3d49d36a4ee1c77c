from docgen.cli import entry

entry()
