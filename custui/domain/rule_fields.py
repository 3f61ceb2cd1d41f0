"""The fields custom segment rules may name, their kinds, and the operators each kind takes."""

from __future__ import annotations

from dataclasses import dataclass

from custui.domain.enums import GENDERS, KINDS, LIFECYCLES, ROLES, SCOPES, SOURCES

RFM_GROUPS = (
    "champions", "loyal", "potential_loyalist", "new", "at_risk", "cannot_lose", "hibernating", "lost",
)

# field kinds
CHOICE, TEXT, INT, NUMBER, BOOL, TAGS = "choice", "text", "int", "number", "bool", "tags"

EQUALITY = ("is", "is_not", "eq", "ne")
ORDERING = ("gt", "gte", "lt", "lte")
MEMBERSHIP = ("in", "not_in")
OPERATORS = EQUALITY + ORDERING + MEMBERSHIP + ("contains",)
COMBINATORS = ("all", "any", "not")

KIND_OPS: dict[str, tuple[str, ...]] = {
    CHOICE: EQUALITY + MEMBERSHIP,
    TEXT: EQUALITY + MEMBERSHIP + ("contains",),
    INT: EQUALITY + ORDERING + MEMBERSHIP,
    NUMBER: EQUALITY + ORDERING + MEMBERSHIP,
    BOOL: EQUALITY,
    TAGS: ("contains",),
}


@dataclass(frozen=True)
class FieldSpec:
    """A field rules may name: its kind, allowed values (choice fields) and meaning."""

    name: str
    kind: str
    help: str
    choices: tuple[str, ...] = ()
    money: bool = False


def _f(name: str, kind: str, help_: str, choices: tuple[str, ...] = (), money: bool = False) -> FieldSpec:
    return FieldSpec(name, kind, help_, choices, money)


_FIELD_LIST = (
    # customer record
    _f("kind", CHOICE, "individual or business", KINDS),
    _f("scope", CHOICE, "external or internal", SCOPES),
    _f("role", CHOICE, "end_user, buyer, agent, supplier, department", ROLES),
    _f("gender", CHOICE, "female, male, other or empty", GENDERS),
    _f("source", CHOICE, "channel the customer came from", SOURCES),
    _f("region", TEXT, "region / location"),
    _f("income_band", TEXT, "income band as recorded"),
    _f("tags", TAGS, "the customer's tags"),
    _f("age", INT, "years, from birth_year (missing when unknown)"),
    _f("consent_to_contact", BOOL, "agreed to be contacted"),
    _f("referred", BOOL, "was referred by another customer"),
    _f("days_since_created", INT, "days since the customer was recorded"),
    # derived from orders and the rules
    _f("lifecycle", CHOICE, "potential, current, loyal, lapsed", LIFECYCLES),
    _f("tier", CHOICE, "loyalty tier id (loyalty.yaml)"),
    _f("orders", INT, "number of orders (void ones excluded)"),
    _f("total_spend", INT, "lifetime spend", money=True),
    _f("avg_order_value", NUMBER, "average order value", money=True),
    _f("days_since_last_order", INT, "days since the last order (missing with none)"),
    _f("days_since_first_order", INT, "days since the first order (missing with none)"),
    _f("avg_days_between_orders", NUMBER, "average gap between orders (needs 2 orders)"),
    _f("orders_last_30d", INT, "orders in the last 30 days"),
    _f("orders_last_90d", INT, "orders in the last 90 days"),
    _f("orders_last_365d", INT, "orders in the last 365 days"),
    _f("spend_last_30d", INT, "spend in the last 30 days", money=True),
    _f("spend_last_90d", INT, "spend in the last 90 days", money=True),
    _f("spend_last_365d", INT, "spend in the last 365 days", money=True),
    _f("promo_orders", INT, "orders bought on promotion"),
    _f("promo_share", NUMBER, "share of orders bought on promotion, 0-1"),
    _f("price_sensitive", BOOL, "promo_share above price_sensitive_share"),
    _f("frequency_band", CHOICE, "purchase frequency band id (segments.yaml)"),
    _f("aov_band", CHOICE, "average order value band id (segments.yaml)"),
    _f("rfm_group", CHOICE, "RFM group", RFM_GROUPS),
    _f("recency_score", INT, "RFM recency score 1-5"),
    _f("frequency_score", INT, "RFM frequency score 1-5"),
    _f("monetary_score", INT, "RFM monetary score 1-5"),
    _f("high_value", BOOL, "on the special list (top share by average order value)"),
    _f("top_spender", BOOL, "in the top 20% by lifetime spend"),
    _f("complaints", INT, "complaints ever opened"),
    _f("open_complaints", INT, "complaints not yet resolved or closed"),
)
FIELDS: dict[str, FieldSpec] = {spec.name: spec for spec in _FIELD_LIST}
