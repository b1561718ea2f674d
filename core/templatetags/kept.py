"""``{% kept "name" key seconds %}…{% endkept %}``: the block rendered once and kept in the cache under ``key``
for ``seconds``; rendered each time when ``key`` is empty (nothing may be kept). Django's ``{% cache %}`` always
keeps: a page whose key says "nothing to keep" (core.fingerprint.digest inside a transaction) needs this one.

The key must name everything the block shows (the caller's fingerprint, the reader's language, the day...):
the block is not rendered again while it is kept."""

import hashlib

from django import template
from django.core.cache import cache
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context

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


@register.tag("kept")
def do_kept(parser: Parser, token: Token) -> KeptNode:
    bits = token.split_contents()
    if len(bits) != 4:
        raise template.TemplateSyntaxError(f"'{bits[0]}' takes a name, a key and seconds.")
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(nodelist, *(parser.compile_filter(bit) for bit in bits[1:]))
