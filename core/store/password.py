"""The local editor password: stored only as a salted scrypt hash, compared in constant time."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from pydantic import BaseModel, ConfigDict, Field

from core.model.errors import BudgetError

MIN_PASSWORD_LENGTH = 12
# scrypt cost: n=2**15, r=8 (32 MiB, ~0.1 s here): slow for a guesser, fine for a sign-in.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1


class PasswordError(BudgetError):
    """A password that cannot be used (too short, empty)."""


class PasswordHash(BaseModel):
    model_config = ConfigDict(frozen=True)

    algorithm: str = "scrypt"
    n: int = Field(default=SCRYPT_N, ge=2**10)
    r: int = Field(default=SCRYPT_R, ge=1)
    p: int = Field(default=SCRYPT_P, ge=1)
    salt: str  # hex
    digest: str  # hex


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=2**26, dklen=32)


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordError(f"Lösenordet måste ha minst {MIN_PASSWORD_LENGTH} tecken.")
    if password.strip() != password:
        raise PasswordError("Lösenordet får inte börja eller sluta med mellanslag.")


def hash_password(password: str) -> PasswordHash:
    check_password_strength(password)
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return PasswordHash(salt=salt.hex(), digest=digest.hex())


def verify_password(password: str, stored: PasswordHash) -> bool:
    """True when ``password`` matches; the comparison takes the same time however many bytes agree."""
    if stored.algorithm != "scrypt":
        return False
    candidate = _scrypt(password, bytes.fromhex(stored.salt), stored.n, stored.r, stored.p)
    return hmac.compare_digest(candidate, bytes.fromhex(stored.digest))
