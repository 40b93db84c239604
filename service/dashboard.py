"""The health dashboard at `/` (issue 8)."""
from fastapi import APIRouter
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def dashboard() -> str:
    return "<!doctype html><title>tollwatch</title><h1>tollwatch</h1>"
