"""nbval runs the participant editions only.

The source notebooks hold both editions' cells, and tests/test_workshop.py executes every
solution edition and asserts that all its checks pass; running them under nbval as well would
only double the CI time. `cx workshop build` keeps all three in step.
"""

collect_ignore_glob = ["source/*.ipynb", "solution/*.ipynb"]
