from django.contrib.admin.apps import AdminConfig


class GridGovAdminConfig(AdminConfig):
    """Django's admin with GridGov's duty-split site (see admin_site.py)."""

    default_site = "gridgov.accounts.admin_site.GridGovAdminSite"
