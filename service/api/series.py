"""GET /series — the time series of a kind (+ place). Issue 6 builds it."""
from fastapi import APIRouter, Depends

from service.api.auth import require_read

router = APIRouter(tags=["series"], dependencies=[Depends(require_read)])
