"""tests/integration/suite_crypt.py: encryption at rest (issue 12 point 4,
and point 7's "`jindu backup` then a restore gives the same content and a
verifying chain"), run inside tests/integration/run.py's namespace (its
helpers: api, check, expect_eq, sql, sql_int, run_cli, spawn_server...).

The command line: `jindu keygen` (a key file of 32 bytes, mode 0600, never
over an old one), `jindu backup --key-file` (the file holds nothing of the
database in the clear) then `jindu restore` (the same `sqlite3 .dump`, `jindu
audit verify` passes on it), refused with a Chinese and English message and
nothing written for a wrong key, a flipped byte, a truncated file, a key file
others may read, an existing database without --force. A plaintext backup
(no --key-file) still works and warns. Attachments: a server with --key-file
(over a copy of the suite's database, so that the main server, which has no
key, never meets an encrypted attachment) stores them encrypted (the blob
holds none of the uploaded bytes) and serves them back identically over
HTTP, and serves the attachments stored before in the clear; `jindu
attachments encrypt` converts those, and the bytes served stay the same."""


def _crypt_dir():
    """A fresh directory for this suite's files (under the suite's tmp)."""
    d = os.path.join(C.tmp, "crypt")
    os.makedirs(d, exist_ok=True)
    return d


def _crypt_key(name):
    """A new key file made by `jindu keygen` in the suite's directory."""
    path = os.path.join(_crypt_dir(), name)
    if not os.path.exists(path):
        rc, out, err = run_cli(["keygen", "--to", path])
        expect_eq(rc, 0, f"jindu keygen ({err.strip()})")
    return path


def _dump(db):
    """The database's content as `sqlite3 .dump` prints it."""
    p = subprocess.run(["sqlite3", "-batch", db, ".dump"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    check(p.returncode == 0, f"sqlite3 .dump {db}: {p.stderr.decode('utf-8', 'replace').strip()}")
    return p.stdout


def _tmp_left(d):
    """The temporary directories jindu left in d (.jindu-tmp-*)."""
    return [n for n in os.listdir(d) if n.startswith(".jindu-tmp")]


def _both_languages(err, what):
    """err names the problem in Chinese and in English."""
    check(has_cjk(err) and re.search(r"\([A-Z][^)]*[a-z]", err), f"{what}: not in Chinese and English: {err.strip()!r}")


@test
def crypt_keygen():
    """`jindu keygen` writes 32 bytes, mode 0600, and never over a file."""
    k = _crypt_key("keygen.key")
    st = os.stat(k)
    expect_eq(st.st_mode & 0o777, 0o600, "the key file's mode")
    expect_eq(st.st_size, 32, "the key file's size")
    with open(k, "rb") as f:
        before = f.read()
    rc, out, err = run_cli(["keygen", "--to", k])
    expect_eq(rc, 1, "jindu keygen over an existing key file")
    _both_languages(err, "keygen over a key")
    with open(k, "rb") as f:
        check(f.read() == before, "jindu keygen changed an existing key file")
    rc, out, err = run_cli(["keygen"])
    expect_eq(rc, 2, "jindu keygen without --to")


@test
def crypt_backup_restore_same():
    """An encrypted backup holds nothing in the clear; restored, it is the
    same database (`sqlite3 .dump`) and `jindu audit verify` passes on it."""
    d = _crypt_dir()
    k = _crypt_key("backup.key")
    api("worker_a")  # some sessions and reads in the database
    for attempt in range(3):  # the main server may write between backup and dump (a read's audit row)
        bk = os.path.join(d, f"same-{attempt}.enc")
        rc, out, err = run_cli(["backup", "--db", C.db, "--to", bk, "--key-file", k])
        expect_eq(rc, 0, f"jindu backup --key-file ({err.strip()})")
        live = _dump(C.db)
        expect_eq(os.stat(bk).st_mode & 0o777, 0o600, "the encrypted backup's mode")
        with open(bk, "rb") as f:
            data = f.read()
        check(data.startswith(b"JINDUENC"), "the backup begins with jindu's magic")
        check(b"SQLite format 3" not in data and b"worker_a" not in data and b"CREATE TABLE" not in data,
              "the encrypted backup holds database text in the clear")
        expect_eq(_tmp_left(d), [], "temporary directories left beside the backup")
        restored = os.path.join(d, f"restored-{attempt}.db")
        rc, out, err = run_cli(["restore", "--key-file", k, "--from", bk, "--db", restored])
        expect_eq(rc, 0, f"jindu restore ({err.strip()})")
        check("audit chain intact" in out, f"jindu restore's line: {out.strip()!r}")
        expect_eq(os.stat(restored).st_mode & 0o077, 0, "the restored database's mode (group/other)")
        expect_eq(_tmp_left(d), [], "temporary directories left beside the restored database")
        if _dump(restored) == live:
            break
    else:
        raise Failure("the restored database's dump differs from the live one three times")
    rc, out, err = run_cli(["audit", "verify", "--db", restored])
    expect_eq(rc, 0, f"jindu audit verify on the restored database ({err.strip()} {out.strip()})")
    rc, out, err = run_cli(["doctor", "--db", restored])
    expect_eq(rc, 0, f"jindu doctor on the restored database ({err.strip()[-300:]})")
    expect_eq(sql("PRAGMA integrity_check", db=restored), "ok", "integrity_check of the restored database")


@test
def crypt_restore_refusals_write_nothing():
    """A wrong key, a flipped byte (header, middle, last tag), a truncated
    file, a key file others may read, a file that is no backup, an existing
    database without --force: refused (exit 1) in Chinese and English,
    nothing written, no temporary file left; --force replaces."""
    d = _crypt_dir()
    k = _crypt_key("refuse.key")
    other = _crypt_key("other.key")
    bk = os.path.join(d, "refuse.enc")
    rc, out, err = run_cli(["backup", "--db", C.db, "--to", bk, "--key-file", k])
    expect_eq(rc, 0, f"jindu backup --key-file ({err.strip()})")
    with open(bk, "rb") as f:
        good = f.read()
    target = os.path.join(d, "refused.db")

    def refused(args, what, want=None):
        rc, out, err = run_cli(["restore"] + args + ["--db", target])
        expect_eq(rc, 1, f"jindu restore with {what}")
        _both_languages(err, what)
        if want:
            check(want in err, f"{what}: the message {err.strip()!r} lacks {want!r}")
        check(not os.path.exists(target), f"jindu restore with {what} created the database")
        check(not os.path.exists(target + "-wal"), f"jindu restore with {what} left a -wal")
        expect_eq(_tmp_left(d), [], f"temporary directories left by a restore with {what}")

    refused(["--key-file", other, "--from", bk], "a wrong key", "Wrong key")
    for name, pos in [("the header", 40), ("the middle", len(good) // 2), ("the last tag", len(good) - 1)]:
        bad = os.path.join(d, "flipped.enc")
        with open(bad, "wb") as f:
            f.write(good[:pos] + bytes([good[pos] ^ 0x01]) + good[pos + 1:])
        refused(["--key-file", k, "--from", bad], f"a byte flipped in {name}", "verification failed")
    for n in (10, 60, len(good) // 2, len(good) - 1):
        cut = os.path.join(d, "cut.enc")
        with open(cut, "wb") as f:
            f.write(good[:n])
        refused(["--key-file", k, "--from", cut], f"the file cut to {n} bytes")
    plain = os.path.join(d, "plain-copy.db")
    if not os.path.exists(plain):
        run_cli(["backup", "--db", C.db, "--to", plain])
    refused(["--key-file", k, "--from", plain], "a plaintext database as backup", "Not a jindu encrypted file")
    loose = os.path.join(d, "loose.key")
    shutil.copyfile(k, loose)
    os.chmod(loose, 0o644)
    refused(["--key-file", loose, "--from", bk], "a key file others may read", "chmod 600")
    short_key = os.path.join(d, "short.key")
    with open(short_key, "wb") as f:
        f.write(b"x" * 31)
    os.chmod(short_key, 0o600)
    refused(["--key-file", short_key, "--from", bk], "a key file of 31 bytes", "32 bytes")
    # an existing database: untouched without --force, replaced with it
    with open(target, "wb") as f:
        f.write(b"not a database")
    rc, out, err = run_cli(["restore", "--key-file", k, "--from", bk, "--db", target])
    expect_eq(rc, 1, "jindu restore over an existing file without --force")
    check("--force" in err, f"the message names --force: {err.strip()!r}")
    with open(target, "rb") as f:
        expect_eq(f.read(), b"not a database", "the existing file after a refused restore")
    rc, out, err = run_cli(["restore", "--key-file", k, "--from", bk, "--db", target, "--force"])
    expect_eq(rc, 0, f"jindu restore --force ({err.strip()})")
    rc, out, err = run_cli(["audit", "verify", "--db", target])
    expect_eq(rc, 0, f"jindu audit verify after restore --force ({err.strip()})")
    expect_eq(_tmp_left(d), [], "temporary directories left")
    rc, out, err = run_cli(["restore", "--from", bk, "--db", target])
    expect_eq(rc, 2, "jindu restore without --key-file")


@test
def crypt_plain_backup_warns():
    """`jindu backup` without --key-file still writes the plain copy (the
    tests and older scripts use it) and says on stderr that it is not
    encrypted."""
    d = _crypt_dir()
    dest = os.path.join(d, "plain-warn.db")
    rc, out, err = run_cli(["backup", "--db", C.db, "--to", dest])
    expect_eq(rc, 0, f"jindu backup ({err.strip()})")
    check("NOT encrypted" in err, f"the plaintext backup's warning: {err.strip()!r}")


class _Crypt(SideServer):
    db = None


CRYPT = _Crypt()


@test
def crypt_attachments_encrypted_and_served():
    """A server with --key-file stores an upload encrypted (the blob begins
    with the magic and holds none of the uploaded bytes) and answers the
    same bytes; an attachment stored in the clear before is served as it
    was; `jindu attachments encrypt` encrypts it, and it is served the same
    after; without the key the server refuses to start with a loose key
    file. The keyed server runs over a copy of the database."""
    d = _crypt_dir()
    k = _crypt_key("serve.key")
    a = api("worker_a")
    doc = att_doc()
    old_png = png_bytes(5, 5, (1, 2, 3))
    r = att_upload(a, doc, "before-key.png", old_png)
    expect_eq(r.status, 201, "an upload to the server without a key")
    old_id, old_hash = r.json()["id"], r.json()["hash"]
    CRYPT.db = os.path.join(d, "keyed.db")
    rc, out, err = run_cli(["backup", "--db", C.db, "--to", CRYPT.db])
    expect_eq(rc, 0, f"a copy of the database ({err.strip()})")
    # a loose key file: the server does not start
    loose = os.path.join(d, "serve-loose.key")
    shutil.copyfile(k, loose)
    os.chmod(loose, 0o640)
    rc, out, err = run_cli(["serve", "--db", CRYPT.db, "--listen", f"127.0.0.1:{free_port()}", "--key-file", loose],
                           timeout=20)
    expect_eq(rc, 1, "jindu serve with a key file others may read")
    CRYPT.start("serve-crypt.log", quiet=True, args=["--key-file", k], db=CRYPT.db)
    check(CRYPT.error is None, f"the keyed server did not start: {CRYPT.error}")
    ka = a.at(CRYPT.port)
    data = png_bytes(7, 6, (9, 99, 199)) + b"crypt-test-tail"
    r = att_upload(ka, doc, "加密.png", data)
    expect_eq(r.status, 201, f"an upload to the keyed server: {r.brief()}")
    new_id, new_hash = r.json()["id"], r.json()["hash"]
    expect_eq(r.json()["size"], len(data), "the size of an encrypted upload (the plaintext's)")
    blob_hex = sql(f"SELECT hex(bytes) FROM attachment_blob WHERE hash='{new_hash}'", db=CRYPT.db)
    blob = bytes.fromhex(blob_hex)
    check(blob.startswith(b"JINDUENC"), "the stored blob begins with the magic")
    check(data[16:48] not in blob and b"crypt-test-tail" not in blob and b"IHDR" not in blob,
          "the stored blob holds uploaded bytes in the clear")
    r = ka.get(f"/api/v1/attachments/{new_id}")
    expect_eq(r.status, 200, "GET the encrypted attachment")
    check(r.body == data, f"the encrypted attachment served back differs ({len(r.body)} vs {len(data)} bytes)")
    expect_eq(r.header("Content-Type"), "image/png", "the served type")
    r = ka.get(f"/api/v1/attachments/{old_id}")
    expect_eq(r.status, 200, "GET the attachment stored in the clear, from the keyed server")
    check(r.body == old_png, "the plaintext attachment served back differs")
    # convert the plaintext ones (the server stopped: one writer at a time is not required, but it is the drill)
    CRYPT.proc.terminate()
    CRYPT.proc.wait(timeout=10)
    plain_before = sql_int("SELECT count(*) FROM attachment_blob WHERE substr(bytes, 1, 8) <> x'4a494e4455454e43'",
                           db=CRYPT.db)
    check(plain_before >= 1, "plaintext blobs in the copy before the conversion")
    rc, out, err = run_cli(["attachments", "encrypt", "--db", CRYPT.db, "--key-file", k])
    expect_eq(rc, 0, f"jindu attachments encrypt ({err.strip()})")
    check(f"{plain_before} stored" in out, f"jindu attachments encrypt's line: {out.strip()!r}")
    expect_eq(sql_int("SELECT count(*) FROM attachment_blob WHERE substr(bytes, 1, 8) <> x'4a494e4455454e43'",
                      db=CRYPT.db), 0, "plaintext blobs after the conversion")
    expect_eq(sql_int("SELECT count(*) FROM audit_log WHERE action='encrypt' AND entity='attachment'", db=CRYPT.db), 1,
              "the conversion's audit row")
    rc, out, err = run_cli(["audit", "verify", "--db", CRYPT.db])
    expect_eq(rc, 0, f"jindu audit verify after the conversion ({err.strip()})")
    CRYPT.start("serve-crypt2.log", quiet=True, args=["--key-file", k], db=CRYPT.db)
    check(CRYPT.error is None, f"the keyed server did not start again: {CRYPT.error}")
    ka = a.at(CRYPT.port)
    for i, want in ((old_id, old_png), (new_id, data)):
        r = ka.get(f"/api/v1/attachments/{i}")
        expect_eq(r.status, 200, f"GET attachment {i} after the conversion")
        check(r.body == want, f"attachment {i} served after the conversion differs")
    CRYPT.kill()
