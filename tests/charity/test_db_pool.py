"""PostgreSQL connections stay bounded under a crawl (charity/settings.py, the connection pool).

A threaded server (runserver, the live server here) serves each HTTP connection in a thread of
its own, for as long as the client keeps it open. With a database connection kept by each such
thread for CONN_MAX_AGE, a crawl of 200 pages ended in PostgreSQL's "too many clients already";
with the pool the process never holds more than its max_size, however many clients there are.
"""

import http.client
import threading
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
from django.db import connection

from tests import factories

pytestmark = pytest.mark.postgres

# Each client keeps one HTTP connection open (keep-alive, as a crawler or a browser does), so
# the server keeps a thread for each: more clients than the pool's size, 10 by default.
CLIENTS = 30
REQUESTS_EACH = 10
# Connections to the test database that are not the server's pool: the sampler's own.
OUTSIDE_THE_POOL = 1


def connections_to_the_test_database(sampler):
    with sampler.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return cursor.fetchone()[0]


def test_a_crawl_holds_at_most_the_pools_connections(live_server, report_sectors, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # every request reaches the database
    campaign = factories.campaign()
    factories.donation(factories.unit("衡阳市国资委"), campaign, "1000.00")
    project = factories.project()
    pages = ["/", f"/campaigns/{campaign.pk}/", "/campaigns/", "/relief/", f"/relief/projects/{project.pk}/"]
    pool_max = connection.settings_dict["OPTIONS"]["pool"]["max_size"]
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    sampler = psycopg.connect(**params, autocommit=True)  # the test database, outside the pool
    counts, lock = [], threading.Lock()

    def sample():
        with lock:
            counts.append(connections_to_the_test_database(sampler))

    # Every client has had an answer and waits, its server thread still alive: the moment each
    # thread would hold a connection of its own. Counted there, and after every request.
    all_answered_once = threading.Barrier(CLIENTS, action=sample)

    def crawl(n):
        client = http.client.HTTPConnection(live_server.thread.host, live_server.thread.port, timeout=60)
        try:
            for i in range(REQUESTS_EACH):
                client.request("GET", pages[(n + i) % len(pages)])
                response = client.getresponse()
                response.read()
                assert response.status == 200 and not response.will_close
                if i == 0:
                    all_answered_once.wait()
                sample()
        finally:
            client.close()

    try:
        with ThreadPoolExecutor(CLIENTS) as clients:
            list(clients.map(crawl, range(CLIENTS)))
        sample()
    finally:
        sampler.close()
    assert len(counts) == CLIENTS * REQUESTS_EACH + 2
    assert max(counts) <= pool_max + OUTSIDE_THE_POOL, f"{max(counts)} connections, pool of {pool_max}"
