"""The cache backend (core.cache): Django's Redis cache, one client per connection pool."""

from django.core.cache import cache, caches

from core.cache import SharedClientRedisCache


def test_the_configured_cache_shares_one_client_for_every_operation():
    assert isinstance(caches["default"], SharedClientRedisCache)
    client = cache._cache.get_client()
    assert cache._cache.get_client("a key") is client
    assert cache._cache.get_client(write=True) is client  # one server: reads and writes go to the same pool


def test_values_round_trip_through_the_shared_client():
    cache.set("core-cache-test", {"a": [1, 2]}, 30)
    cache.set_many({"core-cache-test-2": "two", "core-cache-test-3": 3}, 30)
    assert cache.get("core-cache-test") == {"a": [1, 2]}
    assert cache.get_many(["core-cache-test-2", "core-cache-test-3", "absent"]) == {
        "core-cache-test-2": "two", "core-cache-test-3": 3}
    assert cache.incr("core-cache-test-3") == 4
    cache.delete("core-cache-test")
    assert cache.get("core-cache-test") is None
