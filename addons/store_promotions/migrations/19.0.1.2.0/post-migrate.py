"""19.0.1.2.0: the promotion figures have one source, what the server check counted on each paid
order (``pos.order.store_promo_counted``, {promotion id: discount}). Orders checked before kept
only the promotions they counted for (``store_promotion_ids``): their counted discount is what
those promotions' reward lines gave on them (the check counts exactly that on an order it does
not flag, to the cent). Flagged orders counted nothing and stay empty."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        WITH per AS (
            SELECT rel.pos_order_id AS order_id, rel.store_promotion_id AS promotion_id,
                   -SUM(line.price_subtotal_incl) AS amount
              FROM pos_order_store_promotion_rel rel
              JOIN store_promotion promotion ON promotion.id = rel.store_promotion_id
              JOIN pos_order_line line ON line.order_id = rel.pos_order_id
              JOIN loyalty_reward reward ON reward.id = line.reward_id
                                        AND reward.program_id = promotion.program_id
          GROUP BY rel.pos_order_id, rel.store_promotion_id
        )
        UPDATE pos_order o
           SET store_promo_counted = counted.value
          FROM (SELECT order_id, jsonb_object_agg(promotion_id::text, amount) AS value
                  FROM per GROUP BY order_id) counted
         WHERE o.id = counted.order_id AND o.store_promo_counted IS NULL
        """
    )
