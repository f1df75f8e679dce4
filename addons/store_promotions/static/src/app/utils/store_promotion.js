/**
 * The chain's promotion templates, priced as the server prices them
 * (`store.promotion._applies_to` and `store.promotion._compute_discount`): the POS gives what the
 * server allows, so a normal order is never flagged.
 */
const { DateTime } = luxon;

const PERCENT_TEMPLATES = ["member_day", "flash", "member_only", "category"];

/** Python's round(x, 2): half to even on exact halves. */
export function roundHalfEven2(value) {
    const scaled = value * 100;
    const floor = Math.floor(scaled);
    const diff = scaled - floor;
    let rounded;
    if (Math.abs(diff - 0.5) < 1e-9) {
        rounded = floor % 2 === 0 ? floor : floor + 1;
    } else {
        rounded = Math.round(scaled);
    }
    return rounded / 100;
}

/** Is `now` inside the promotion's dates, weekdays and hours, in the store's timezone? */
export function storePromoInWindow(params, now = DateTime.now()) {
    const local = now.setZone(params.tz || "Asia/Shanghai");
    const day = local.toISODate();
    if (params.date_from && day < params.date_from) {
        return false;
    }
    if (params.date_to && day > params.date_to) {
        return false;
    }
    const weekdays = params.weekdays || [];
    if (weekdays.some(Boolean) && !weekdays[local.weekday - 1]) {
        return false;
    }
    const hour = local.hour + local.minute / 60 + local.second / 3600;
    return params.hour_from <= hour && hour < params.hour_to;
}

/** Members only / tiers / member tags: `partner` is a res.partner record or undefined. */
export function storePromoCustomerOk(params, partner) {
    const member = partner && partner.is_member ? partner : null;
    if (params.members_only && !member) {
        return false;
    }
    if (params.tier_ids.length && !params.tier_ids.includes(member.store_promo_tier)) {
        return false;
    }
    const tags = params.partner_tag_ids || [];
    if (tags.length && !(member.store_promo_tags || []).some((id) => tags.includes(id))) {
        return false;
    }
    // Per-member limit: the member's paid orders with this promotion, as the server counted them.
    const used = (member && member.store_promo_usage && member.store_promo_usage[String(params.id)]) || 0;
    if (params.member_limit && member && used >= params.member_limit) {
        return false;
    }
    return true;
}

function categoryIds(product) {
    const ids = [];
    let categ = product.product_tmpl_id?.categ_id || product.categ_id;
    while (categ) {
        ids.push(categ.id);
        categ = categ.parent_id;
    }
    return ids;
}

/** `lines`: [{product, qty, price_unit, discount}] — the order's lines that are not rewards. */
function eligibleLines(params, lines) {
    return lines.filter((line) => {
        if (line.qty <= 0) {
            return false;
        }
        if (params.product_ids.length || params.categ_ids.length) {
            return (
                params.product_ids.includes(line.product.id) ||
                categoryIds(line.product).some((id) => params.categ_ids.includes(id))
            );
        }
        return true;
    });
}

/** The discount the promotion gives on `lines`, before budget (server: _compute_discount). */
export function storePromoDiscount(params, lines) {
    const eligible = eligibleLines(params, lines);
    const base = eligible.reduce(
        (sum, line) => sum + line.qty * line.price_unit * (1 - (line.discount || 0) / 100),
        0
    );
    const template = params.template;
    if (template === "threshold") {
        if (params.steps.length) {
            const offs = params.steps
                .filter(([min]) => min <= base + 1e-6)
                .map(([, off]) => off);
            return offs.length ? Math.max(...offs) : 0;
        }
        if (!params.min_amount || base + 1e-6 < params.min_amount) {
            return 0;
        }
        const times = params.repeat ? Math.floor(base / params.min_amount + 1e-9) : 1;
        return roundHalfEven2(params.off_amount * times);
    }
    if (PERCENT_TEMPLATES.includes(template)) {
        return roundHalfEven2((base * params.percent) / 100);
    }
    // Nth item / buy X get Y: units of the same product, across lines, dearest first.
    const units = new Map();
    for (const line of eligible) {
        const prices = units.get(line.product.id) || [];
        // Each unit at its price after the line's discount, as the server prices it.
        const unitPrice = line.price_unit * (1 - (line.discount || 0) / 100);
        for (let i = 0; i < Math.trunc(line.qty); i++) {
            prices.push(unitPrice);
        }
        units.set(line.product.id, prices);
    }
    let total = 0;
    for (const prices of units.values()) {
        prices.sort((a, b) => b - a);
        if (template === "nth_unit") {
            let sum = 0;
            for (let i = params.nth - 1; i < prices.length; i += params.nth) {
                sum += prices[i];
            }
            total += (sum * params.percent) / 100;
        } else if (template === "buy_x_get_y") {
            const group = params.buy_qty + params.free_qty;
            for (let start = 0; start + group <= prices.length; start += group) {
                for (let i = start + params.buy_qty; i < start + group; i++) {
                    total += prices[i];
                }
            }
        }
    }
    return roundHalfEven2(total);
}
