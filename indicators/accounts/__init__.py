"""People who sign in, their roles and partner, and the audit log (issue #12).

The web face (:mod:`dashboard.auth`) and the ``suivi users`` / ``suivi audit`` commands share this
API; the rules on what a role may do live in :mod:`.roles`, so the CLI and the web agree.
"""

from indicators.accounts.audit import AuditEntry, list_events, record_event
from indicators.accounts.roles import (
    PARTNER_ROLES,
    ROLE_LABELS,
    ROLES,
    AccountError,
)
from indicators.accounts.single_sign_on import ClaimRules, account_for_claims
from indicators.accounts.users import (
    Account,
    authenticate,
    create_user,
    find_user,
    find_user_by_email,
    find_user_by_subject,
    generate_password,
    hash_password,
    link_subject,
    list_users,
    record_sign_in,
    set_active,
    set_partner,
    set_password,
    set_role,
    set_role_and_partner,
    verify_password,
)

__all__ = [
    "PARTNER_ROLES",
    "ROLES",
    "ROLE_LABELS",
    "Account",
    "AccountError",
    "AuditEntry",
    "ClaimRules",
    "account_for_claims",
    "authenticate",
    "create_user",
    "find_user",
    "find_user_by_email",
    "find_user_by_subject",
    "generate_password",
    "hash_password",
    "link_subject",
    "list_events",
    "list_users",
    "record_event",
    "record_sign_in",
    "set_active",
    "set_partner",
    "set_password",
    "set_role",
    "set_role_and_partner",
    "verify_password",
]
