"""The roles of the 1022 feedback system, declared to accounts through FeedbackConfig.roles (see
thongsuot/accounts/roles.py): the units' handlers, and the Centre's dispatchers, who reach every unit's
reports but nothing of another system."""

from thongsuot.accounts.roles import LEADER, UNIT_ADMIN, RoleSpec
from thongsuot.feedback import SYSTEM

HANDLER = "feedback_handler"
DISPATCHER = "feedback_dispatcher"

DECLARED = (
    RoleSpec(HANDLER, "Cán bộ xử lý 1022", aliases=("xu ly 1022", "can bo 1022", "1022"), required_for_unit=True),
    RoleSpec(DISPATCHER, "Điều phối viên 1022", aliases=("dieu phoi 1022", "dieu phoi vien 1022"), system_wide=SYSTEM),
)

# Who handles a unit's reports, and who publishes their results.
HANDLER_ROLES = (HANDLER, UNIT_ADMIN, LEADER)
PUBLISHER_ROLES = (LEADER, UNIT_ADMIN)
