extensions = ["sphinxext.releasediff"]
project = "releasediff-page"
version = release = "2.0"
latex_documents = [("index", "page.tex", "Page", "Tester", "manual")]
show_warning_types = True
epub_copyright = "2026"
