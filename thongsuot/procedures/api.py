"""The catalogue through the API, under /api/v1/procedures/ (public, like the pages)."""

from ninja import Router, Schema

from thongsuot.procedures import catalogue, selectors

router = Router(tags=["procedures"])


class DocumentOut(Schema):
    name: str
    original: bool
    count: int
    mandatory: bool
    form: str = ""


class StepOut(Schema):
    name: str
    body: str
    role: str
    share: int


class ProcedureOut(Schema):
    code: str
    name: str
    field: str
    level: str
    time_amount: str
    time_unit: str
    time_note: str
    fee: int
    fee_note: str
    documents: list[DocumentOut]
    legal_basis: str
    result: str
    steps: list[StepOut]
    regardless_of_residence: bool
    online: str
    cutoff_hour: str | None
    active: bool


class ProcedureBrief(Schema):
    code: str
    name: str
    field: str
    level: str


@router.get("/catalogue", response=list[ProcedureBrief], auth=None)
def catalogue_list(request, q: str = "", field: str = "", level: str = "", limit: int = 50, offset: int = 0):
    limit = max(1, min(limit, 200))
    offset = max(0, offset)
    procedures = selectors.procedure_search(q=q[:200], field=field[:200], level=level[:10])
    return list(procedures.values("code", "name", "field", "level")[offset : offset + limit])


@router.get("/catalogue/{code}", response=ProcedureOut, auth=None)
def catalogue_detail(request, code: str):
    return catalogue.record_of(selectors.procedure_get(code=code))
