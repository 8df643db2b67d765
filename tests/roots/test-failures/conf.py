extensions = ["sphinxext.releasediff"]
project = "releasediff-test"
show_warning_types = True  # the default from Sphinx 8 on
