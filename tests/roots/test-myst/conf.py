extensions = ["myst_parser", "sphinxext.releasediff"]
project = "releasediff-test"
version = release = "1.1"
latex_documents = [("index", "test.tex", "Test", "Tester", "manual")]
man_pages = [("index", "test", "Test", ["Tester"], 1)]
epub_copyright = "2026"
show_warning_types = True  # the default from Sphinx 8 on
