"""19.0.1.4.0: a handover note's expected cash is stored, the session's cash balance when the cash
was counted (it followed the session's running balance: every later sale changed the note's
difference).

The column is made before the update so that Odoo does not compute it from the sessions' balances
of today: each note keeps the difference it shows now (expected = counted - difference).
"""


def _store_expected_cash(cr):
    cr.execute(
        "SELECT 1 FROM information_schema.columns"
        " WHERE table_name = 'store_shift_handover' AND column_name = 'cash_expected'"
    )
    if cr.fetchone():
        return
    cr.execute("ALTER TABLE store_shift_handover ADD COLUMN cash_expected numeric")
    cr.execute(
        "UPDATE store_shift_handover"
        " SET cash_expected = COALESCE(cash_counted, 0) - COALESCE(cash_difference, 0)"
    )


def migrate(cr, version):
    if not version:
        return
    _store_expected_cash(cr)
