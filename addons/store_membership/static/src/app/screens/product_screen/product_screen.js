import { patch } from "@web/core/utils/patch";
import { ProductScreen } from "@point_of_sale/app/screens/product_screen/product_screen";
import { useBarcodeReader } from "@point_of_sale/app/hooks/barcode_reader_hook";

/**
 * A member card carries the member number. Depending on the nomenclature it is read as a customer
 * barcode, as a product barcode (the default nomenclature's catch-all) or not recognised at all:
 * when nothing else matches, look the code up as a member.
 */
patch(ProductScreen.prototype, {
    setup() {
        super.setup(...arguments);
        useBarcodeReader({ error: this._storeBarcodeMemberAction });
    },
    async _storeBarcodeMemberAction(code) {
        const info = await this.pos.storeSelectMemberByCode(code.code);
        if (!info) {
            this.sound.play("error");
            this.barcodeReader.showNotFoundNotification(code);
        }
    },
    async _barcodePartnerAction(code) {
        const partner = await this._getPartnerByBarcode(code);
        if (!partner && (await this.pos.storeSelectMemberByCode(code.code))) {
            return;
        }
        return await super._barcodePartnerAction(...arguments);
    },
    async _barcodeProductAction(code) {
        const product = await this._getProductByBarcode(code);
        if (!product && (await this.pos.storeSelectMemberByCode(code.code))) {
            return;
        }
        return await super._barcodeProductAction(...arguments);
    },
});
