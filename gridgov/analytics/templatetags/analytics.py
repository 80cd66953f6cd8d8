"""`{% home_figures %}`: the home page's strip of the user's own figures (this month)."""

from typing import Any

from django import template

from gridgov.analytics import dashboards

register = template.Library()


@register.inclusion_tag("analytics/_home_figures.html", takes_context=True)
def home_figures(context: Any) -> dict[str, Any]:
    user = context["request"].user
    found = dashboards.strip(user) if user.is_authenticated else None
    if found is None:
        return {"show": False}
    area, period, tiles = found
    return {"show": True, "area": area, "period": period, "tiles": tiles}
