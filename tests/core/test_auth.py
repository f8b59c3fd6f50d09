import pytest

from core.store.password import PasswordError, hash_password, verify_password


def test_right_password_verifies_and_wrong_does_not():
    stored = hash_password("rätt häst batteri häftklammer")
    assert verify_password("rätt häst batteri häftklammer", stored)
    assert not verify_password("rätt häst batteri häftklamme", stored)
    assert not verify_password("", stored)


def test_hash_is_salted_and_never_contains_the_password():
    a, b = hash_password("samma lösenord igen"), hash_password("samma lösenord igen")
    assert a.salt != b.salt and a.digest != b.digest
    assert "samma" not in a.model_dump_json()


@pytest.mark.parametrize("password", ["kort", "", " inleds med mellanslag"])
def test_weak_passwords_are_refused_in_swedish(password):
    with pytest.raises(PasswordError, match="Lösenordet"):
        hash_password(password)
