"""Issue 18 #5 and #8: every write and refused write is audited with the principal's actor id; the audit log
keeps no phone number, card number, email or address in clear."""

from __future__ import annotations

import json

import pytest

from core.config import Settings
from core.session import Principal, Session
from shop.db import connect

OWNER = "15854"


def test_a_refused_confirmation_is_audited_with_the_real_actor(fresh: Settings) -> None:
    from tools import call
    from tools.orders import execute_pending

    con = connect(fresh.db_path)
    s = Session(fresh, con, Principal("shopper", OWNER))
    assert call(s, "cancel_order", {"order_id": "#W9000001", "reason": "ordered by mistake"})["kind"] == "confirm"
    con.execute("UPDATE orders SET status = 'processed' WHERE order_id = '#W9000001'")  # shipped meanwhile
    result = execute_pending(s)
    assert result["kind"] == "error" and "processed" in result["message"]
    rows = con.execute("SELECT actor_role, actor_id, target, ok FROM audit_log WHERE action = 'write:cancel_order'"
                       ).fetchall()
    assert rows == [("shopper", OWNER, "#W9000001", False)]
    assert con.execute("SELECT count(*) FROM payments WHERE order_id = '#W9000001' AND transaction_type = 'refund'"
                       ).fetchone()[0] == 0


def test_writes_take_the_principals_actor_id_not_a_constant(fresh: Settings) -> None:
    from tools import call

    con = connect(fresh.db_path)
    s = Session(fresh, con, Principal("shopper", OWNER))
    call(s, "set_language", {"language": "zh"})
    s2 = Session(fresh, con, Principal("staff", staff_id="staff:alice"))
    call(s2, "customer_orders", {"customer_id": OWNER})
    rows = con.execute("SELECT action, actor_role, actor_id FROM audit_log ORDER BY audit_id").fetchall()
    assert ("write:set_language", "shopper", OWNER) in rows
    assert ("tool:customer_orders", "staff", "staff:alice") in rows


@pytest.mark.parametrize("secret, kept", [
    ("+44 7700 900123", "23"), ("07700-900-123", "23"), ("(020) 7946 0958", "58"), ("+1 (415) 555-0132", "32"),
    ("4111 1111 1111 1111", "11"), ("4111-1111-1111-1111", "11"), ("5500000000000004", "04"),
])
def test_redact_masks_phones_and_cards(secret: str, kept: str) -> None:
    from shop.queries import redact

    out = redact(f"call me on {secret} please")
    digits = [c for c in secret if c.isdigit()]
    assert secret not in out and sum(c.isdigit() for c in out) <= 2 and out.endswith(f"{kept} please")
    assert len(digits) > 2


def test_redact_keeps_ids_dates_and_amounts_readable() -> None:
    from shop.queries import redact

    text = "order #W9000001 ticket T8000012 customer 15854 on 2024-03-05 12:30:00 refund 1234.50 qty 3"
    assert redact(text) == text.replace("9000001", "90***01").replace("8000012", "80***12")


def test_redact_masks_addresses_in_free_text() -> None:
    from shop.queries import redact

    out = redact("please send it to 221B Baker Street, London NW1 6XE instead")
    assert "Baker Street" not in out and "NW1 6XE" not in out and "London" in out


def test_the_audit_row_of_an_address_change_holds_no_address(fresh: Settings) -> None:
    from tools import call
    from tools.orders import execute_pending

    con = connect(fresh.db_path)
    s = Session(fresh, con, Principal("shopper", OWNER))
    r = call(s, "change_order_address", {"order_id": "#W9000001", "address1": "221B Baker Street",
                                         "address2": "Flat 3", "city": "London", "zip": "NW1 6XE",
                                         "country": "United Kingdom"})
    assert r["kind"] == "confirm"
    assert execute_pending(s)["kind"] == "done"
    details = " ".join(d for (d,) in con.execute("SELECT details FROM audit_log").fetchall())
    assert "Baker" not in details and "NW1 6XE" not in details and "Flat 3" not in details
    assert json.loads(con.execute("SELECT ship_address FROM orders WHERE order_id = '#W9000001'").fetchone()[0]
                      )["address1"] == "221B Baker Street"   # the order itself keeps the real address


def test_a_phone_in_a_handoff_summary_is_masked_in_the_audit_log(fresh: Settings) -> None:
    from tools import call
    from tools.orders import execute_pending

    con = connect(fresh.db_path)
    s = Session(fresh, con, Principal("shopper", OWNER))
    call(s, "request_human", {"summary": "call me on +44 7700 900123, card 4111 1111 1111 1111"})
    assert execute_pending(s)["kind"] == "done"
    details = " ".join(d for (d,) in con.execute("SELECT details FROM audit_log").fetchall())
    assert "7700 900123" not in details and "4111 1111" not in details
