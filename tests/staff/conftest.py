"""The staff tests' shared fixture: members 1 (administrator), 2 (cashier), 3 (no role) and 9
(left), each with a PIN (defined in test_staff_service.py, shared with test_desk_pin.py)."""

from tests.staff.test_staff_service import staff

__all__ = ["staff"]
