extensions = ["sphinxext.releasediff"]
project = "demo"
release = "1.1"
releasediff_package = "demo"
releasediff_find_links = ["releases"]
show_warning_types = True  # the default from Sphinx 8 on
