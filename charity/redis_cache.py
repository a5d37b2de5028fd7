"""Django's Redis cache backend, with one Redis client per connection pool instead of one per call.

Django's backend builds a new `redis.Redis` object for every cache call. With redis-py 8 that
costs about 0.12 ms (the object copies some 170 response callbacks), more than the round trip
to a Redis on the same machine (0.05 ms), and a cached public page makes such a call on every
request (charity/page_cache.py). A `redis.Redis` object is safe to share between threads: it
takes a connection from its pool for each command. Everything else is Django's.
"""

from django.core.cache.backends import redis


class ReusedClientRedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
