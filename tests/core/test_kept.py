"""core's ``{% kept %}`` tag: a block kept under the caller's key, rendered each time without one."""

from django.template import Context, Template

TEMPLATE = Template('{% load kept %}{% kept "block" key 60 %}{{ value }}{% endkept %}')


def test_a_block_is_kept_under_its_key_and_rendered_afresh_without_one():
    assert TEMPLATE.render(Context({"key": "k1", "value": "first"})) == "first"
    assert TEMPLATE.render(Context({"key": "k1", "value": "second"})) == "first"  # kept
    assert TEMPLATE.render(Context({"key": "k2", "value": "second"})) == "second"  # another state, another entry
    assert TEMPLATE.render(Context({"key": None, "value": "third"})) == "third"
    assert TEMPLATE.render(Context({"key": None, "value": "fourth"})) == "fourth"  # nothing kept
