from . import pos_order, store_promotion, store_promotion_demo, store_promotion_report, store_promotion_step
