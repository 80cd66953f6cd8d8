from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles of domain.md §1. A user acts through memberships that carry one role each."""

    RESIDENT = "resident", _("Resident")
    GRID_WORKER = "grid_worker", _("Grid worker")
    COMMUNITY_STAFF = "community_staff", _("Community staff")
    STREET_DISPATCHER = "street_dispatcher", _("Street dispatcher")
    DEPARTMENT_HANDLER = "department_handler", _("Department handler")
    MEDIATOR = "mediator", _("People's mediator")
    JUDICIAL_OFFICER = "judicial_officer", _("Judicial officer")
    LEADER = "leader", _("Leader")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")


# Security and audit administrators configure security and review the audit log; they are not
# given the area data the other roles work on (三权分立, domain.md §8).
ROLES_WITHOUT_AREA_ACCESS = frozenset({Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
# Roles that may use the Django admin (each sees only the models of its duty).
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
STAFF_ROLES = frozenset(set(Role) - {Role.RESIDENT})


class OrganisationKind(models.TextChoices):
    COMMUNITY_OFFICE = "community_office", _("Community office")
    STREET_OFFICE = "street_office", _("Street office (centre)")
    WATER = "water", _("Water affairs")
    URBAN_MANAGEMENT = "urban_management", _("Urban management")
    HOUSING = "housing", _("Housing and construction")
    ENVIRONMENT = "environment", _("Ecology and environment")
    CIVIL_AFFAIRS = "civil_affairs", _("Civil affairs")
    SOCIAL_SECURITY = "social_security", _("Human resources and social security")
    POLICE_STATION = "police_station", _("Police station")
    JUDICIAL_OFFICE = "judicial_office", _("Judicial office")
    POWER = "power", _("Power supply")
    GAS = "gas", _("Gas")
    HEATING = "heating", _("Heating")
    PROPERTY_COMPANY = "property_company", _("Property company")
    MEDIATION_COMMITTEE = "mediation_committee", _("People's mediation committee")
    CITY_PLATFORM = "city_platform", _("City platform centre")


# Organisations that receive dispatched cases (部门领单).
DEPARTMENT_KINDS = frozenset(
    set(OrganisationKind)
    - {
        OrganisationKind.COMMUNITY_OFFICE,
        OrganisationKind.STREET_OFFICE,
        OrganisationKind.MEDIATION_COMMITTEE,
        OrganisationKind.CITY_PLATFORM,
    }
)
