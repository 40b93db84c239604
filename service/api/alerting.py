"""/alerts, /webhooks, /deliveries. Issue 7 builds them."""
from fastapi import APIRouter

router = APIRouter()
