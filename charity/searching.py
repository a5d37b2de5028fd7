"""The admin's search as a plain function, for lists and for the work that repeats a list.

A list's search (charity.admin_lists.SubquerySearchMixin) and a background export of that list
(donations/listing.py) find the same rows through `search`, without a request.

Django searches `donor__name` by joining every donation to its donor and comparing the name on
each joined row: with a million donations, a full join for every search, repeated by each of the
list's queries (3-4 s). Here the donors whose name matches are found first, once per search
(through a trigram index when the word has three characters or more, else one pass over the
donors' names), and the donations are then looked up by their donor's key, through the index on
it. The rows found are then read by key by each of the list's queries.
"""

from django.contrib.admin.utils import lookup_spawns_duplicates
from django.core.exceptions import EmptyResultSet, FieldDoesNotExist
from django.db.models import F, Lookup, Q
from django.utils.text import smart_split, unescape_string_literal

# Up to this many rows found, the list's queries (count, sum, page) read them by key instead of
# searching again each.
KEY_LIMIT = 10_000


def search(queryset, search_fields, search_term, *, min_lengths=None, key_limit=KEY_LIMIT):
    """(rows of `queryset` matching `search_term` in `search_fields`, whether they may repeat).

    What matches is what Django's admin search matches: every word must be found in one of the
    fields; `^` and `=` mean "starts with" and "equals"; otherwise a field "contains" the word,
    ignoring case. One difference: `min_lengths` names fields (numbers and codes: receipt
    numbers, credit codes, telephones) searched only for words at least that long. A fragment
    of one or two characters matches most receipt numbers and is no search anyone makes, but
    comparing it with every one of them read the whole table on every search for a
    two-character name.
    """
    min_lengths = min_lengths or {}
    if not (search_fields and search_term):
        return queryset, False
    words = [
        unescape_string_literal(word) if word[:1] in "\"'" and word[0] == word[-1] else word
        for word in smart_split(search_term)
    ]
    model, found, looked_up = queryset.model, queryset, {}
    for word in words:
        fields = [f for f in search_fields if len(word) >= min_lengths.get(f, 1)]
        if not fields:
            return queryset.none(), False
        conditions = [search_condition(model, f, word, looked_up) for f in fields]
        found = found.filter(Q.create(conditions, Q.OR))
    if any(lookup_spawns_duplicates(model._meta, f.lstrip("^=@")) for f in search_fields):
        return found, True
    keys = list(found.order_by().values_list("pk", flat=True)[: key_limit + 1])
    if len(keys) > key_limit:
        return found, False
    return queryset.filter(KeyIn(F("pk"), keys)), False


LOOKUPS = {"^": "istartswith", "=": "iexact", "@": "search"}


def search_condition(model, field, word, looked_up=None):
    """Q matching `word` in `field` (an admin search field) of `model`; a field of a related
    model (a forward foreign key) is searched in that model's table now, and the keys found
    become the condition. `looked_up` keeps what was found for reuse (a staff line searches
    donors' names twice: its person's and its unit's)."""
    looked_up = {} if looked_up is None else looked_up
    prefix = field[0] if field[:1] in LOOKUPS else ""
    first, _, rest = field.removeprefix(prefix).partition("__")
    try:
        relation = model._meta.get_field(first)
    except FieldDoesNotExist:
        relation = None
    if rest and relation is not None and relation.concrete and (relation.many_to_one or relation.one_to_one):
        related, target = relation.related_model, relation.target_field.attname
        key = (related, prefix + rest, target, word)
        if key not in looked_up:
            found = related._base_manager.filter(search_condition(related, prefix + rest, word, looked_up))
            looked_up[key] = list(found.order_by().values_list(target, flat=True))
        return Q(KeyIn(F(relation.attname), looked_up[key]))
    path = field.removeprefix(prefix)
    lookup = LOOKUPS.get(prefix, "icontains")
    last = path.rsplit("__", 1)[-1]
    if not prefix and last in {"exact", "iexact", "contains", "icontains", "startswith", "istartswith"}:
        return Q(**{path: word})
    condition = Q(**{f"{path}__{lookup}": word})
    if lookup == "icontains" and not rest and relation is not None and _blank_text(relation):
        # No empty text contains a word, and saying so lets PostgreSQL use the partial indexes
        # on non-empty values (a credit code, a receipt number) instead of reading every row.
        condition &= ~Q(**{path: ""})
    return condition


def _blank_text(field):
    return field.get_internal_type() in {"CharField", "TextField"} and not field.null


class KeyIn(Lookup):
    """`column IN (keys)` for keys found beforehand, sent as one array on PostgreSQL
    (`column = ANY(%s)`), which the column's index answers key by key."""

    lookup_name = "key_in"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        column, params = self.process_lhs(compiler, connection)
        keys = list(self.rhs)
        if not keys:
            raise EmptyResultSet
        return f"{column} IN ({', '.join(['%s'] * len(keys))})", (*params, *keys)

    def as_postgresql(self, compiler, connection):
        column, params = self.process_lhs(compiler, connection)
        if not self.rhs:
            raise EmptyResultSet
        return f"{column} = ANY(%s)", (*params, list(self.rhs))
