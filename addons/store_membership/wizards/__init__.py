from . import (
    base_partner_merge,
    store_member_adjust,
    store_member_merge,
    store_member_unmask,
    store_staff_handover,
)
