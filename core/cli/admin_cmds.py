"""``set-password``, ``backup`` and ``restore``: looking after the database."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from core import store
from core.cli.sources import add_db_option
from core.model.errors import BudgetError
from core.store.password import hash_password


def cmd_set_password(args: argparse.Namespace) -> int:
    if args.stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Nytt redaktörslösenord: ")
        if getpass.getpass("Upprepa lösenordet: ") != password:
            raise BudgetError("Lösenorden är inte lika. Inget ändrades.")
    hashed = hash_password(password)
    con = store.open_store(args.db)
    try:
        store.set_editor_password(con, hashed, author=args.author)
    finally:
        con.close()
    print("Redaktörslösenordet är satt (sparat som saltad scrypt-hash, aldrig i klartext).")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    con = store.open_store(args.db)
    try:
        data = store.backup_bytes(con)
    finally:
        con.close()
    Path(args.file).write_bytes(data)
    print(f"Säkerhetskopia skriven till {args.file} ({len(data) // 1024} kB).")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        raise BudgetError(f'Säkerhetskopian "{args.file}" kan inte läsas ({exc.__class__.__name__}).') from exc
    path = Path(args.db) if args.db else store.db_path_from_env()
    kept = store.restore_database(path, data, author=args.author)
    print(f"Databasen {path} är återställd från {args.file}. Den tidigare databasen sparades som {kept}.")
    return 0


def add_admin_parsers(commands: argparse._SubParsersAction) -> None:
    password = commands.add_parser("set-password", help="Sätt det lokala redaktörslösenordet.")
    add_db_option(password)
    password.add_argument("--author", default="kommandoraden")
    password.add_argument("--stdin", action="store_true", help="Läs lösenordet från standard in (för skript).")
    password.set_defaults(func=cmd_set_password)

    backup = commands.add_parser("backup", help="Skriv en säkerhetskopia av hela databasen.")
    backup.add_argument("file")
    add_db_option(backup)
    backup.set_defaults(func=cmd_backup)

    restore = commands.add_parser("restore", help="Återställ hela databasen från en säkerhetskopia.")
    restore.add_argument("file")
    add_db_option(restore)
    restore.add_argument("--author", default="kommandoraden")
    restore.set_defaults(func=cmd_restore)
