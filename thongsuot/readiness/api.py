from ninja import Router, Schema

from thongsuot.readiness import selectors

router = Router(tags=["readiness"])


class UnitReadinessOut(Schema):
    organisation_id: int
    code: str
    name: str
    division_type: str
    configured: int
    activated: int
    signed_in: int
    list_received: bool
    missing_roles: list[str]
    status: str


@router.get("/units", response=list[UnitReadinessOut])
def units(request, division_type: str = "", status: str = ""):
    return [
        UnitReadinessOut(
            organisation_id=r.organisation.pk,
            code=r.organisation.code,
            name=r.organisation.name,
            division_type=r.organisation.division_type,
            configured=r.configured,
            activated=r.activated,
            signed_in=r.signed_in,
            list_received=r.list_received,
            missing_roles=r.missing_roles,
            status=r.status,
        )
        for r in selectors.readiness_board(user=request.auth, division_type=division_type, status=status)
    ]
