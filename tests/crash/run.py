#!/usr/bin/env python3
"""tests/crash/run.py: the kill -9 loop (issue 12 point 7, `make crashtest`).

Starts the real `jindu serve` on a loopback port over a temporary database,
lets N writer clients (each a social worker of her own community, signed in
through the API) post real writes as fast as the server takes them: persons
(POST /api/v1/persons), talks (POST .../visits) and drug tests (POST
.../tests), and records every write the server acknowledged (a 2xx with an
id). At a random moment of each round the server is killed with SIGKILL,
then started again over the same file; R rounds. At the end every
acknowledged write must be in the database (a server that answered 201 has
committed: nothing acknowledged may be lost), `jindu audit verify` must pass
(the hash chain unbroken by the kills), `jindu doctor` must find no derived
field different from its history, and `PRAGMA integrity_check` must say ok.
The server must also start again after every kill.

Usage: python3 tests/crash/run.py --jindu ./jindu [--rounds 12] [--writers 4]
         [--min-ms 300] [--max-ms 2500] [--seed S] [--keep]
Prints one line a round and a last line "crashtest: R rounds, W acknowledged
writes checked, ... ok|FAILED"; exits 1 on any failure. Python 3 standard
library only; the database is read with the sqlite3 command-line tool."""
import argparse
import datetime
import http.client as httpc
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def id_number(first17):
    """The 18-digit ID number: first17 and its ISO 7064 MOD 11-2 check character."""
    s = sum(int(c) * w for c, w in zip(first17, W))
    return first17 + "10X98765432"[s % 11]


def run(args, stdin=None, timeout=600):
    p = subprocess.run(args, input=stdin.encode() if stdin else None, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def sql(db, query):
    rc, out, err = run(["sqlite3", "-batch", "-noheader", "-cmd", ".timeout 5000", db, query])
    if rc != 0:
        raise SystemExit(f"crashtest: sqlite3 failed: {err.strip()}")
    return out.strip()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def request(port, method, path, body=None, token=None, timeout=10):
    """(status, parsed JSON or None); raises OSError/HTTPException when the server is gone."""
    h = {"Content-Type": "application/json"}
    if token:
        h["Authorization"] = "Bearer " + token
    conn = httpc.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=json.dumps(body, ensure_ascii=False).encode() if body is not None else None,
                     headers=h)
        r = conn.getresponse()
        data = r.read()
        try:
            return r.status, json.loads(data.decode("utf-8"))
        except ValueError:
            return r.status, None
    finally:
        conn.close()


def start_server(jindu, db, log):
    port = free_port()
    with open(log, "ab") as f:
        proc = subprocess.Popen([jindu, "serve", "--db", db, "--listen", f"127.0.0.1:{port}", "--quiet",
                                 "--read-limit", "100000"], stdout=f, stderr=subprocess.STDOUT)
    deadline = time.time() + 30
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"crashtest: jindu serve exited {proc.returncode} on start (log {log})")
        try:
            st, _ = request(port, "GET", "/api/v1/me", timeout=2)
            if st in (200, 401):
                return proc, port
        except (OSError, httpc.HTTPException):
            pass
        time.sleep(0.05)
    proc.kill()
    raise SystemExit("crashtest: jindu serve did not answer within 30 s of a restart")


class Writer(threading.Thread):
    """One worker posting persons, talks and tests until the server dies."""

    def __init__(self, k, token, org, port, acked, rnd, day):
        super().__init__(daemon=True)
        self.k, self.token, self.org, self.port = k, token, org, port
        self.acked, self.rnd, self.day = acked, rnd, day
        self.persons = []
        self.errors = []

    def post(self, path, body):
        st, js = request(self.port, "POST", path, body, self.token)
        if st >= 500:
            self.errors.append(f"POST {path}: {st} {js}")
        return st, js

    def run(self):
        seq = 0
        try:
            while True:
                what = self.rnd.random()
                if not self.persons or what < 0.25:
                    seq += 1
                    n = (self.k * 1000000 + seq + int(time.time() * 1000) % 1000000)
                    birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=n % 15000)
                    idn = id_number("110101" + birth.strftime("%Y%m%d") + f"{n % 1000:03d}")
                    st, js = self.post("/api/v1/persons", {"name": f"压测{self.k}号{seq}", "sex": "M" if n % 2 else "F",
                                                           "id_number": idn, "birth_date": birth.isoformat(),
                                                           "org": self.org})
                    if st in (200, 201) and js and isinstance(js.get("id"), int):
                        self.acked.append(("person", js["id"]))
                        self.persons.append(js["id"])
                elif what < 0.65:
                    pid = self.rnd.choice(self.persons)
                    st, js = self.post(f"/api/v1/persons/{pid}/visits",
                                       {"date": self.day, "kind": "talk", "notes": "谈话记录"})
                    if st in (200, 201) and js and isinstance(js.get("id"), int):
                        self.acked.append(("visit", js["id"]))
                else:
                    pid = self.rnd.choice(self.persons)
                    st, js = self.post(f"/api/v1/persons/{pid}/tests",
                                       {"date": self.day, "sample": "urine", "reason": "random", "result": "negative"})
                    if st in (200, 201) and js and isinstance(js.get("id"), int):
                        self.acked.append(("drug_test", js["id"]))
        except (OSError, httpc.HTTPException):
            return  # the server was killed: the write in flight is not acknowledged


def main():
    ap = argparse.ArgumentParser(description="jindu kill -9 crash test")
    ap.add_argument("--jindu", default="./jindu")
    ap.add_argument("--rounds", type=int, default=12)
    ap.add_argument("--writers", type=int, default=4)
    ap.add_argument("--min-ms", type=int, default=300, help="shortest time a round writes before the kill")
    ap.add_argument("--max-ms", type=int, default=2500, help="longest time a round writes before the kill")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    a = ap.parse_args()
    jindu = os.path.abspath(a.jindu)
    seed = a.seed if a.seed is not None else int(time.time())
    rnd = random.Random(seed)
    tmp = tempfile.mkdtemp(prefix="jindu-crash-")
    db, log = os.path.join(tmp, "jindu.db"), os.path.join(tmp, "serve.log")
    started = time.time()
    failures = []
    # China's today less a day: a date every record accepts
    day = (datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))).date()
           - datetime.timedelta(days=1)).isoformat()
    try:
        for args in (["init", "--db", db],
                     ["org", "add", "--db", db, "--code", "K0", "--name", "压测县", "--level", "county"],
                     ["org", "add", "--db", db, "--code", "KS", "--name", "压测街道", "--level", "street", "--parent", "K0"]):
            rc, _, err = run([jindu] + args)
            if rc != 0:
                raise SystemExit(f"crashtest: jindu {' '.join(args)}: {err.strip()}")
        for k in range(a.writers):
            rc, _, err = run([jindu, "org", "add", "--db", db, "--code", f"KC{k}", "--name", f"压测社区{k}",
                              "--level", "community", "--parent", "KS"])
            rc2, _, err2 = run([jindu, "user", "add", "--db", db, "--username", f"writer{k}", "--role", "worker",
                                "--org", f"KC{k}", "--name", f"压测社工{k}", "--password-stdin"],
                               stdin=f"writer{k}-Passw0rd-2024\n")
            if rc or rc2:
                raise SystemExit(f"crashtest: fixture: {err.strip()} {err2.strip()}")
        proc, port = start_server(jindu, db, log)
        tokens = []
        for k in range(a.writers):  # sessions live in the database: they outlive every kill
            st, js = request(port, "POST", "/api/v1/session", {"username": f"writer{k}", "password": f"writer{k}-Passw0rd-2024"})
            if st != 200:
                raise SystemExit(f"crashtest: sign-in of writer{k}: {st} {js}")
            tokens.append(js["token"])
        acked = []
        persons = [[] for _ in range(a.writers)]
        for rd in range(1, a.rounds + 1):
            if rd > 1:
                proc, port = start_server(jindu, db, log)
            before = len(acked)
            ws = []
            for k in range(a.writers):
                w = Writer(k, tokens[k], f"KC{k}", port, acked, random.Random(rnd.random()), day)
                w.persons = persons[k]
                ws.append(w)
                w.start()
            wait = rnd.uniform(a.min_ms, a.max_ms) / 1000.0
            time.sleep(wait)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            for w in ws:
                w.join(timeout=30)
                failures += w.errors
            print(f"round {rd}: killed after {wait * 1000:.0f} ms, {len(acked) - before} writes acknowledged", flush=True)
        # every acknowledged write is there
        missing = []
        for table in ("person", "visit", "drug_test"):
            ids = {i for t, i in acked if t == table}
            if not ids:
                continue
            have = {int(x) for x in sql(db, f"SELECT id FROM {table}").split()}
            missing += [f"{table} {i}" for i in sorted(ids - have)]
        if missing:
            failures.append(f"{len(missing)} acknowledged writes lost: {', '.join(missing[:10])}")
        rc, out, err = run([jindu, "audit", "verify", "--db", db])
        if rc != 0:
            failures.append(f"jindu audit verify exited {rc}: {err.strip()[:300]}")
        rc, out, err = run([jindu, "doctor", "--db", db])
        if rc != 0:
            failures.append(f"jindu doctor exited {rc}: {(out + err).strip()[:300]}")
        ic = sql(db, "PRAGMA integrity_check")
        if ic != "ok":
            failures.append(f"PRAGMA integrity_check: {ic[:300]}")
        kinds = {t: sum(1 for x, _ in acked if x == t) for t in ("person", "visit", "drug_test")}
        for f in failures[:20]:
            print(f"FAIL {f}")
        print(f"crashtest: {a.rounds} rounds, {len(acked)} acknowledged writes checked ({kinds['person']} persons, "
              f"{kinds['visit']} talks, {kinds['drug_test']} tests), {a.writers} writers, seed {seed}, "
              f"{time.time() - started:.1f} s: {'ok' if not failures else 'FAILED'}")
        return 1 if failures else 0
    finally:
        if a.keep or failures:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
