from . import (
    loyalty_program,
    pos_order,
    res_company,
    res_config_settings,
    res_partner,
    store_promotion,
    store_membership_demo,
    store_promotion_demo,
    store_promotion_report,
    store_promotion_step,
    store_store,
)
