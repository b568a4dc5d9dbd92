#!/usr/bin/env python3
"""Turns the raw measurements of scripts/bench (one JSON file per load under RAW_DIR) into ONE table on stdout
and results.json.  Usage: report.py RAW_DIR OUT_JSON

Ratio = figure / floor, where floor = min(HTTP floor of the same server process, engine floor). The
storage path cannot be faster than either the HTTP stack that carries it or the engine that holds the data,
so 1.0 means "as fast as the slower of the two things it cannot avoid". The in-process cache has no
separate engine floor (a hash-map lookup is ~100x faster than an HTTP request), so its floor is the HTTP floor.
In the webdis section the ratio is ours / webdis (Redis over HTTP on the same Redis, same load).
"""
import json
import os
import sys


def load(raw, name):
    path = os.path.join(raw, name + ".json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def wrk_row(d):
    if d is None:
        return None
    errors = d["errors_connect"] + d["errors_read"] + d["errors_write"] + d["errors_timeout"] + d["errors_status"]
    return {"rps": d["rps"], "p50_ms": d["p50_us"] / 1000, "p99_ms": d["p99_us"] / 1000, "errors": errors,
            "requests": d["requests"]}


def rounds(raw, name):
    """The alternating rounds name.1, name.2, ... as one row: total requests / total time, mean latencies."""
    runs = []
    while load(raw, f"{name}.{len(runs) + 1}") is not None:
        runs.append(load(raw, f"{name}.{len(runs) + 1}"))
    if not runs:
        return None
    row = wrk_row({"requests": sum(d["requests"] for d in runs),
                   "p50_us": sum(d["p50_us"] for d in runs) / len(runs),
                   "p99_us": sum(d["p99_us"] for d in runs) / len(runs),
                   **{k: sum(d[k] for d in runs) for k in ("errors_connect", "errors_read", "errors_write",
                                                          "errors_timeout", "errors_status")},
                   "rps": sum(d["requests"] for d in runs) / (sum(d["duration_us"] for d in runs) / 1e6)})
    row["rounds"] = len(runs)
    return row


def main(raw, out):
    meta = load(raw, "meta") or {}
    rows = []

    def add(section, name, m, floor_names=None, floors=None, note=""):
        row = {"section": section, "row": name, "note": note}
        if m:
            row.update(m)
        if floors:
            usable = [(n, f) for n, f in zip(floor_names, floors) if f]
            if m and usable and len(usable) == len(floors):
                fname, fval = min(usable, key=lambda x: x[1])
                row["floor"] = fname
                row["floor_value"] = fval
                row["ratio"] = m["rps"] / fval
        rows.append(row)

    su = load(raw, "startup")
    if su and su.get("startups_ms"):
        ms = sorted(su["startups_ms"])
        sec = f"start-up of the embedded server, {len(ms)} starts (fresh SQLite file each, nothing else running)"
        rows.append({"section": sec, "row": "launch to first /health 200, median (ms)", "value": ms[len(ms) // 2]})
        rows.append({"section": sec, "row": "fastest / slowest (ms)", "value": f"{ms[0]} / {ms[-1]}"})

    for cfg, title, eng in (("embedded", "embedded (in-process cache + SQLite)", "sqlite"),
                            ("scaleout", "scale-out (Redis + PostgreSQL)", "postgresql")):
        if load(raw, cfg + ".http_floor") is None:
            continue
        sec = title
        floor = load(raw, cfg + ".http_floor")
        f = wrk_row(floor)
        add(sec, "HTTP floor: GET " + meta.get("floor_path", "?") + " (wrk)", f)
        http = f["rps"]
        if cfg == "embedded":
            add(sec, "ephemeral GET (wrk)", wrk_row(load(raw, cfg + ".ephemeral_get")), ["HTTP"], [http])
            add(sec, "ephemeral PUT (wrk)", wrk_row(load(raw, cfg + ".ephemeral_put")), ["HTTP"], [http])
        else:
            rg, rs = load(raw, "redis_get"), load(raw, "redis_set")
            add(sec, "Redis floor: redis-benchmark GET", rg)
            add(sec, "ephemeral GET (wrk)", wrk_row(load(raw, cfg + ".ephemeral_get")),
                ["HTTP", "Redis"], [http, rg and rg["rps"]])
            add(sec, "Redis floor: redis-benchmark SET", rs)
            add(sec, "ephemeral PUT (wrk)", wrk_row(load(raw, cfg + ".ephemeral_put")),
                ["HTTP", "Redis"], [http, rs and rs["rps"]])
        label = "SQLite" if eng == "sqlite" else "PostgreSQL"
        dsel, dups = load(raw, eng + "_select"), load(raw, eng + "_upsert")
        conv = lambda d: d and {"rps": d["ops_per_s"], "p50_ms": d["p50_ms"], "p99_ms": d["p99_ms"],
                                "errors": d["errors"]}
        add(sec, f"{label} floor: JDBC select, {dsel and dsel['threads']} threads", conv(dsel))
        add(sec, "persistent GET (wrk)", wrk_row(load(raw, cfg + ".persistent_get")),
            ["HTTP", label], [http, dsel and dsel["ops_per_s"]])
        add(sec, f"{label} floor: JDBC upsert, {dups and dups['threads']} threads", conv(dups))
        add(sec, "persistent PUT (wrk)", wrk_row(load(raw, cfg + ".persistent_put")),
            ["HTTP", label], [http, dups and dups["ops_per_s"]])
        size = meta.get("batch_size", 100)
        for tier in ("ephemeral", "persistent"):
            for op, single in (("get", "GET"), ("set", "PUT")):
                b = wrk_row(load(raw, f"{cfg}.{tier}_batch_{op}"))
                one = wrk_row(load(raw, f"{cfg}.{tier}_{single.lower()}"))
                if b:
                    b = dict(b, rps=b["rps"] * size)
                    add(sec, f"{tier} batch {op} of {size} keys (wrk, keys/s)", b, [f"single {single}"],
                        [one and one["rps"]], note=f"ops = requests x {size}; ratio = per-key throughput"
                        f" / single {single} ops/s; latencies per request")
        st = load(raw, cfg + ".server") or {}
        rows.append({"section": sec, "row": "server start-up to first /health 200 (ms)",
                     "value": st.get("startup_ms")})
        rows.append({"section": sec, "row": "server resident memory after the load (VmRSS, MiB)",
                     "value": st.get("rss_mb")})

    wg = rounds(raw, "webdis.webdis_get")
    if wg:
        sec = (f"ephemeral over Redis vs webdis (same Redis database, same load, {wg['rounds']} alternating rounds"
               " each; ratio = ours / webdis)")
        wp = rounds(raw, "webdis.webdis_put")
        add(sec, "webdis GET: GET /GET/<key> (wrk)", wg)
        add(sec, "HTTP floor: GET " + meta.get("floor_path", "?") + " (wrk)", rounds(raw, "webdis.ours_floor"),
            ["webdis"], [wg["rps"]])
        add(sec, "ours: ephemeral GET (wrk)", rounds(raw, "webdis.ours_get"), ["webdis"], [wg["rps"]])
        add(sec, "webdis PUT: PUT /SETEX/<key>/300, value in the body (wrk)", wp)
        add(sec, "ours: ephemeral PUT (wrk)", rounds(raw, "webdis.ours_put"), ["webdis"], [wp and wp["rps"]])

    cf = wrk_row(load(raw, "cluster.http_floor"))
    if cf:
        sec = "scale-out on a Redis Cluster (3 masters, redis-cluster://) + PostgreSQL: ephemeral tier"
        add(sec, "HTTP floor: GET " + meta.get("floor_path", "?") + " (wrk)", cf)
        cg, cs = load(raw, "cluster_redis_get"), load(raw, "cluster_redis_set")
        add(sec, "Redis Cluster floor: redis-benchmark --cluster GET", cg)
        add(sec, "ephemeral GET (wrk)", wrk_row(load(raw, "cluster.ephemeral_get")),
            ["HTTP", "Redis"], [cf["rps"], cg and cg["rps"]])
        add(sec, "Redis Cluster floor: redis-benchmark --cluster SET", cs)
        add(sec, "ephemeral PUT (wrk)", wrk_row(load(raw, "cluster.ephemeral_put")),
            ["HTTP", "Redis"], [cf["rps"], cs and cs["rps"]])
        st = load(raw, "cluster.server") or {}
        rows.append({"section": sec, "row": "server start-up to first /health 200 (ms)",
                     "value": st.get("startup_ms")})
        rows.append({"section": sec, "row": "server resident memory after the load (VmRSS, MiB)",
                     "value": st.get("rss_mb")})

    ev = load(raw, "events")
    if ev:
        sec = (f"change events (embedded server): {ev['streams_open']} of {ev['streams']} streams open,"
               f" {ev['events']} shared writes")
        add(sec, "change-to-event latency (PUT sent -> frame on each stream)",
            {"rps": ev["deliveries"], "p50_ms": ev["p50_ms"], "p99_ms": ev["p99_ms"], "errors": ev["missing"]},
            note="deliveries in the ops column, missing ones as errors")
        rows.append({"section": sec, "row": "resident memory the open streams cost (VmRSS delta, MiB)",
                     "value": ev["rss_delta_mb"]})

    b = load(raw, "browser")
    if b:
        sec = "browser (headless Chromium, localStorage)"
        add(sec, "raw localStorage.setItem + JSON.stringify, awaited", {"rps": b["raw_set"]})
        add(sec, "ctx.storage.local.set, awaited", {"rps": b["module_set"]}, ["raw"], [b["raw_set"]])
        add(sec, "raw JSON.parse(localStorage.getItem), awaited", {"rps": b["raw_get"]})
        add(sec, "ctx.storage.local.get, awaited", {"rps": b["module_get"]}, ["raw"], [b["raw_get"]])
        add(sec, "(for scale) raw setItem, not awaited", {"rps": b["raw_set_sync"]})
        add(sec, "(for scale) raw getItem, not awaited", {"rps": b["raw_get_sync"]})
    s = load(raw, "module_size")
    if s:
        sec = "browser module size (frontend-teavm/target/npm-package: " + s.get("files", "*.js").strip() + ")"
        rows.append({"section": sec, "row": "minified (bytes)", "value": s["minified"]})
        rows.append({"section": sec, "row": "gzip -9 (bytes)", "value": s["gzipped"]})
        if "host_minified" in s:
            rows.append({"section": sec, "row": "the host's module (" + s["host_files"] + "), minified (bytes)",
                         "value": s["host_minified"]})
            rows.append({"section": sec, "row": "the host's module, gzip -9 (bytes)", "value": s["host_gzipped"]})

    result = {"meta": meta, "ratio_definition": __doc__.split("\n\n", 1)[1].strip(), "rows": rows}
    with open(out, "w") as f:
        json.dump(result, f, indent=2)

    print()
    print(f"Extension Storage benchmark  {meta.get('date', '')}")
    print(f"machine: {meta.get('cpus', '?')} cores ({meta.get('cpu_model', '?')}), {meta.get('mem_gib', '?')} GiB RAM;"
          f" {meta.get('java', '?')}; load average at start {meta.get('loadavg', '?')}")
    print(f"wrk -t{meta.get('wrk_threads')} -c{meta.get('connections')} -d{meta.get('seconds')}s "
          f"(after warming every load for {meta.get('warmup')} s), {meta.get('keys')} keys; "
          "ratio = figure / min(HTTP floor, engine floor)")
    w = (64, 12, 9, 9, 7, 11, 7)
    line = "-" * (sum(w) + 2 * len(w))
    section = None
    for r in rows:
        if r["section"] != section:
            section = r["section"]
            print(line)
            print(section)
            print(f"  {'':<{w[0]}}{'req|ops/s':>{w[1]}}  {'p50 ms':>{w[2]}}  {'p99 ms':>{w[3]}}  "
                  f"{'errors':>{w[4]}}  {'floor':>{w[5]}}  {'ratio':>{w[6]}}")
        if "value" in r:
            print(f"  {r['row']:<{w[0]}}{str(r['value']):>{w[1]}}")
            continue
        if "rps" not in r:
            print(f"  {r['row']:<{w[0]}}{'(missing)':>{w[1]}}")
            continue
        p50 = f"{r['p50_ms']:.2f}" if "p50_ms" in r else ""
        p99 = f"{r['p99_ms']:.2f}" if "p99_ms" in r else ""
        err = str(r["errors"]) if "errors" in r else ""
        ratio = f"{r['ratio']:.2f}" if "ratio" in r else ""
        print(f"  {r['row']:<{w[0]}}{r['rps']:>{w[1]},.0f}  {p50:>{w[2]}}  {p99:>{w[3]}}  {err:>{w[4]}}  "
              f"{r.get('floor', ''):>{w[5]}}  {ratio:>{w[6]}}")
    print(line)
    print(f"JSON: {out}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
