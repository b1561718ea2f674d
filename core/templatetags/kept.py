"""``{% kept "name" key seconds %}…{% endkept %}``: the block rendered once and kept in the cache under ``key``
for ``seconds``; rendered each time when ``key`` is empty (nothing may be kept). Django's ``{% cache %}`` always
keeps: a page whose key says "nothing to keep" (core.fingerprint.digest inside a transaction) needs this one.

The key must name everything the block shows (the caller's fingerprint, the reader's language, the day...):
the block is not rendered again while it is kept.

``{% remembered "name" key %}…{% endremembered %}``: the block rendered once per process and key, and kept in
the process's memory (no cache round trip); rendered each time when ``key`` is empty. Only for a block that
shows no data, only what the templates, the translations and the URLs decide for ``key`` (a language, a role):
those change only when the code does, and new code starts new processes. The navigation of every page is one
(templates/base.html)."""

import hashlib

from django import template
from django.core.cache import cache
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.utils.autoreload import file_changed

register = template.Library()


class KeptNode(template.Node):
    def __init__(self, nodelist: NodeList, name: FilterExpression, key: FilterExpression,
                 seconds: FilterExpression) -> None:
        self.nodelist, self.name, self.key, self.seconds = nodelist, name, key, seconds

    def render(self, context: Context) -> str:
        key = self.key.resolve(context)
        if not key:
            return self.nodelist.render(context)
        name = self.name.resolve(context)
        cache_key = f"kept:{name}:{hashlib.sha256(str(key).encode()).hexdigest()}"
        html = cache.get(cache_key)
        if html is None:
            html = str(self.nodelist.render(context))
            cache.set(cache_key, html, int(self.seconds.resolve(context)))
        return html


def _block_arguments(parser: Parser, token: Token, *, count: int, usage: str) -> tuple[NodeList, list[FilterExpression]]:
    """The block up to its end tag and the tag's ``count`` arguments, compiled."""
    bits = token.split_contents()
    if len(bits) != count + 1:
        raise template.TemplateSyntaxError(f"'{bits[0]}' takes {usage}.")
    nodelist = parser.parse((f"end{bits[0]}",))
    parser.delete_first_token()
    return nodelist, [parser.compile_filter(bit) for bit in bits[1:]]


@register.tag("kept")
def do_kept(parser: Parser, token: Token) -> KeptNode:
    nodelist, (name, key, seconds) = _block_arguments(parser, token, count=3, usage="a name, a key and seconds")
    return KeptNode(nodelist, name, key, seconds)


# Remembered blocks: a few per language and role. A key that grows without bound (a mistake: data in the key)
# empties the memory rather than filling it.
_remembered: dict[tuple[str, str], str] = {}
REMEMBERED_MAX = 1000


def _forget_on_change(sender: object, file_path: object, **kwargs: object) -> None:
    """runserver (``make run``) reloads an edited template without a new process: forget what it showed."""
    _remembered.clear()


file_changed.connect(_forget_on_change, dispatch_uid="core.kept.forget_on_change")


class RememberedNode(template.Node):
    def __init__(self, nodelist: NodeList, name: FilterExpression, key: FilterExpression) -> None:
        self.nodelist, self.name, self.key = nodelist, name, key

    def render(self, context: Context) -> str:
        key = self.key.resolve(context)
        if not key:  # e.g. a template rendered without its request (no context processor ran)
            return self.nodelist.render(context)
        memo_key = (str(self.name.resolve(context)), str(key))
        html = _remembered.get(memo_key)
        if html is None:
            html = str(self.nodelist.render(context))
            if len(_remembered) >= REMEMBERED_MAX:
                _remembered.clear()
            _remembered[memo_key] = html
        return html


@register.tag("remembered")
def do_remembered(parser: Parser, token: Token) -> RememberedNode:
    nodelist, (name, key) = _block_arguments(parser, token, count=2, usage="a name and a key")
    return RememberedNode(nodelist, name, key)
