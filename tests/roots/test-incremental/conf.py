extensions = ["sphinxext.releasediff"]
project = "releasediff-test"
