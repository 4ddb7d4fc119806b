from ninja import Router, Schema
from ninja.errors import HttpError

from thongsuot.directory import selectors
from thongsuot.directory.address import address_resolve, coordinates_resolve

router = Router(tags=["directory"])


class OrganisationOut(Schema):
    id: int
    code: str
    admin_code: str | None
    name: str
    short_name: str
    kind: str
    division_type: str
    parent_id: int | None
    latitude: float | None
    longitude: float | None
    is_active: bool


class ResolutionOut(Schema):
    resolved: bool
    organisation: OrganisationOut | None = None
    method: str = ""
    reason: str = ""


@router.get("/organisations", response=list[OrganisationOut], auth=None)
def organisations(request, kind: str = "", q: str = "", include_retired: bool = False):
    """The public directory: the city, its units, departments and Party bodies."""
    return list(selectors.organisation_list(kind=kind or None, active=None if include_retired else True, q=q))


@router.get("/organisations/{code}", response=OrganisationOut, auth=None)
def organisation(request, code: str):
    org = selectors.organisation_find(code)
    if org is None:
        raise HttpError(404, "Unknown organisation")
    return org


@router.get("/resolve", response=ResolutionOut, auth=None)
def resolve(request, address: str = "", lat: float | None = None, lng: float | None = None):
    """Which of the 168 units an address (new or pre-July-2025 form) or a point belongs to."""
    if lat is not None and lng is not None:
        return coordinates_resolve(lat, lng)
    if not address.strip():
        raise HttpError(400, "Give an address, or lat and lng")
    return address_resolve(address)
