"""A published disclosure as CSV, xlsx and open-data JSON: the frozen content, nothing else.

Rendered when the disclosure or an erratum of it is published and served as stored
(relief/artifacts.py, charity/artifacts.py).
"""

from charity import artifacts

from .disclosures import published


def disclosure_csv(request, pk):
    return artifacts.serve(request, published(pk), "csv")


def disclosure_xlsx(request, pk):
    return artifacts.serve(request, published(pk), "xlsx")


def disclosure_json(request, pk):
    return artifacts.serve(request, published(pk), "json")
