#!/usr/bin/env python3
"""Turns a rendered overlay into the environment each service's container would get, pointed at
servers on this machine (smoke.sh runs it). Only what cannot exist here is rewritten:

  * Service host names (nats, orrery-pg-rw) become localhost and the ports of the local servers;
  * each volume's mountPath becomes a folder under --mounts, made and filled the way Kubernetes
    would (Secret keys as files; an emptyDir or a claim as an empty folder);
  * secretKeyRef values come from --secret NAME/KEY=VALUE (the operator's and the overlay's).

Writes <service>.env (KEY=VALUE per line) and plan.json (databases to create, ports, probes).
"""
import argparse
import base64
import json
import os
import re
import sys

import yaml


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rendered", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--mounts", required=True)
    parser.add_argument("--nats-port", required=True)
    parser.add_argument("--pg-port", required=True)
    parser.add_argument("--secret", action="append", default=[], help="NAME/KEY=VALUE")
    args = parser.parse_args()

    with open(args.rendered, encoding="utf-8") as f:
        objects = [d for d in yaml.safe_load_all(f) if d]
    index = {(o["kind"], o["metadata"]["name"]): o for o in objects}
    secrets = {}
    for item in args.secret:
        ref, value = item.split("=", 1)
        secrets[ref] = value
    # Secrets the overlay generates carry their values in the rendering.
    for obj in objects:
        if obj["kind"] == "Secret":
            for key, value in (obj.get("data") or {}).items():
                secrets.setdefault(f"{obj['metadata']['name']}/{key}",
                                   base64.b64decode(re.sub(r"\s+", "", value)).decode("utf-8"))

    services = {s["metadata"]["name"]: s for s in objects if s["kind"] == "Service"}
    plan = {"databases": [], "owner": None, "services": {}}
    for obj in objects:
        if obj["kind"] == "Cluster":
            initdb = obj["spec"]["bootstrap"]["initdb"]
            plan["databases"].append(initdb["database"])
            plan["owner"] = initdb["owner"]
        elif obj["kind"] == "Database":
            plan["databases"].append(obj["spec"]["name"])

    def local(value):
        value = re.sub(r"nats://nats:4222", f"nats://127.0.0.1:{args.nats_port}", value)
        value = re.sub(r"//[\w-]+-rw:5432/", f"//localhost:{args.pg_port}/", value)
        return value

    for deployment in (o for o in objects if o["kind"] == "Deployment"):
        name = deployment["metadata"]["name"]
        pod = deployment["spec"]["template"]["spec"]
        container = pod["containers"][0]
        volumes = {v["name"]: v for v in pod.get("volumes", [])}
        mounts = {}
        for mount in container.get("volumeMounts", []):
            target = os.path.join(args.mounts, name, mount["mountPath"].lstrip("/"))
            mounts[mount["mountPath"]] = target
            volume = volumes[mount["name"]]
            if "secret" in volume:
                secret = volume["secret"]["secretName"]
                items = volume["secret"].get("items") or [{"key": k.split("/", 1)[1], "path": k.split("/", 1)[1]}
                                                          for k in secrets if k.startswith(secret + "/")]
                for item in items:
                    os.makedirs(target, exist_ok=True)
                    with open(os.path.join(target, item["path"]), "w", encoding="utf-8") as f:
                        f.write(lookup(secrets, secret, item["key"]))
            else:
                os.makedirs(target, exist_ok=True)

        env = {}
        for source in container.get("envFrom", []):
            env.update(index[("ConfigMap", source["configMapRef"]["name"])].get("data") or {})
        for variable in container.get("env", []):
            if "value" in variable:
                env[variable["name"]] = variable["value"]
            else:
                ref = variable["valueFrom"]["secretKeyRef"]
                env[variable["name"]] = lookup(secrets, ref["name"], ref["key"])
        # The container's paths that lead to its mounts (a mount path or a folder above one, such as
        # the watcher's allowed base /data) move under --mounts; one pass, longest first, so that a
        # replaced path is not replaced again.
        moved = {}
        for path in mounts:
            parts = path.strip("/").split("/")
            for i in range(1, len(parts) + 1):
                inner = "/" + "/".join(parts[:i])
                moved[inner] = os.path.join(args.mounts, name, inner.lstrip("/"))
        pattern = "|".join(re.escape(p) for p in sorted(moved, key=len, reverse=True))
        container_path = re.compile(r"(?<![\w/])(" + pattern + r")(?=/|$|[&,])") if moved else None
        for key, value in env.items():
            value = local(str(value))
            if container_path:
                value = container_path.sub(lambda m: moved[m.group(1)], value)
            env[key] = value
        port = container["ports"][0]["containerPort"]
        probes = {p: container[p]["httpGet"]["path"] for p in ("startupProbe", "livenessProbe", "readinessProbe")}
        plan["services"][name] = {"port": port, "probes": probes, "mounts": mounts}
        with open(os.path.join(args.out, f"{name}.env"), "w", encoding="utf-8") as f:
            for key in sorted(env):
                if "\n" in env[key]:
                    sys.exit(f"{name}: {key} spans lines; not supported here")
                f.write(f"{key}={env[key]}\n")
        if name not in services:
            sys.exit(f"{name}: no Service")

    with open(os.path.join(args.out, "plan.json"), "w", encoding="utf-8") as f:
        json.dump(plan, f, indent=1)


def lookup(secrets, name, key):
    for candidate in (f"{name}/{key}", f"{re.sub(r'-[a-z0-9]{10}$', '', name)}/{key}"):
        if secrets.get(candidate) is not None:
            return secrets[candidate]
    sys.exit(f"no value for secret {name} key {key}: pass --secret {name}/{key}=...")


if __name__ == "__main__":
    main()
