import { ProductInfoPopup } from "@point_of_sale/app/components/popups/product_info_popup/product_info_popup";
import { patch } from "@web/core/utils/patch";
import { onWillStart, useState } from "@odoo/owl";

// Other stores' stock (其他门店库存): the quantity on hand of the product in each store of this
// store's region and in the central warehouses, asked once when the popup opens
// (pos.session.get_other_stores_stock, cached on the server for a few seconds).
patch(ProductInfoPopup.prototype, {
    setup() {
        super.setup(...arguments);
        this.otherStoresStock = useState({ rows: [] });
        onWillStart(async () => {
            const variants = this.props.productTemplate.product_variant_ids || [];
            if (variants.length !== 1 || !this.pos.session?.id) {
                return;
            }
            try {
                this.otherStoresStock.rows = await this.pos.data.call(
                    "pos.session",
                    "get_other_stores_stock",
                    [[this.pos.session.id], variants[0].id]
                );
            } catch {
                // offline or refused: the popup shows without the table
                this.otherStoresStock.rows = [];
            }
        });
    },
});
