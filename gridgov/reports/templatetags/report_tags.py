from typing import Any

from django import template

from gridgov.reports import labels

register = template.Library()


@register.filter
def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@register.filter
def blank(value: Any) -> Any:
    return "—" if value is None or value == "" else value


register.filter("status_label", labels.status_label)
register.filter("item_status_label", labels.item_status_label)
register.filter("risk_label", labels.risk_label)
register.filter("channel_label", labels.channel_label)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if mapping else None
