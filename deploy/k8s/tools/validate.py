#!/usr/bin/env python3
"""Structural checks of Orrery's Kubernetes manifests (deploy/k8s/validate.sh runs this).

Two levels:
  * the source tree: every YAML parses, every file a kustomization names exists, no secret value
    is committed;
  * each rendered overlay (kustomize output): workloads, probes, resources, security, selectors,
    references to ConfigMaps/Secrets/volumes, the scaling rules of the suite, and every
    environment variable a container gets is one its service actually reads (names taken from
    the services' application.properties, their @ConfigMapping interfaces and the Quarkus
    configuration model shipped in the extensions they depend on).

Prints one line per problem and exits 1 if there is any.
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys
import zipfile

import yaml

SERVICES = ["execution-broker", "staging-service", "canfar-adapter", "fs-watcher", "dependency-manager"]
SCALABLE = {"execution-broker", "staging-service", "canfar-adapter"}
SINGLETONS = {"dependency-manager", "fs-watcher"}
# Read by the start script of the UBI OpenJDK images (Dockerfile.jvm), not by the application.
IMAGE_VARIABLES = {
    "JAVA_OPTS", "JAVA_OPTS_APPEND", "JAVA_MAX_MEM_RATIO", "JAVA_INITIAL_MEM_RATIO", "JAVA_MAX_INITIAL_MEM",
    "JAVA_DIAGNOSTICS", "GC_CONTAINER_OPTIONS", "GC_MAX_METASPACE_SIZE",
}
NAMESPACED_EXEMPT = {"Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding", "PersistentVolume"}


class Report:
    def __init__(self):
        self.problems = []
        self.notes = []

    def fail(self, where, message):
        self.problems.append(f"FAIL {where}: {message}")

    def note(self, message):
        self.notes.append(message)


# --------------------------------------------------------------------------------------------
# What the services read
# --------------------------------------------------------------------------------------------

def env_form(key):
    """The environment variable SmallRye Config maps onto a property name."""
    return re.sub(r"[^A-Za-z0-9]", "_", key).upper()


def kebab(name):
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"-\1", name).lower()


def properties_knowledge(path):
    """Property keys defined in a .properties file and the ${NAME} variables its values read."""
    keys, variables = set(), set()
    if not os.path.exists(path):
        return keys, variables
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.strip()
            if not line or line.startswith("#") or "=" not in line:
                continue
            key, value = line.split("=", 1)
            key = re.sub(r"^%[\w-]+\.", "", key.strip())
            keys.add(key)
            variables.update(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)", value))
    return keys, variables


def config_mapping_patterns(java_root):
    """Environment-name patterns of every @ConfigMapping interface under java_root."""
    patterns = set()
    for path in glob.glob(os.path.join(java_root, "**", "*.java"), recursive=True):
        with open(path, encoding="utf-8") as f:
            source = f.read()
        match = re.search(r'@ConfigMapping\(\s*prefix\s*=\s*"([^"]+)"', source)
        if not match:
            continue
        bodies = interface_bodies(source)
        top = re.search(r"@ConfigMapping\([^)]*\)\s*public\s+interface\s+(\w+)", source)
        if not top:
            continue
        for dotted in mapping_paths(top.group(1), bodies, match.group(1), set()):
            regex = "_".join("[A-Z0-9_]+" if part == "*" else re.escape(env_form(part)) for part in dotted.split("."))
            patterns.add(regex)
    return patterns


def interface_bodies(source):
    """Interface name -> the text of its own body, without the bodies of nested types."""
    bodies = {}
    for match in re.finditer(r"\binterface\s+(\w+)[^{;]*\{", source):
        depth, own = 1, []
        for c in source[match.end():]:
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
                if depth == 0:
                    break
            elif depth == 1:
                own.append(c)
        bodies[match.group(1)] = "".join(own)
    return bodies


def mapping_paths(interface, bodies, prefix, seen):
    if interface in seen:
        return []
    seen = seen | {interface}
    body = re.sub(r"/\*.*?\*/|//[^\n]*", "", bodies.get(interface, ""), flags=re.S)
    paths = []
    for ret, name in re.findall(r"([\w.<>, ?\[\]]+?)\s+(\w+)\(\)\s*;", body):
        ret = re.sub(r"\s*,\s*", ",", ret.strip())
        key = f"{prefix}.{kebab(name)}"
        map_of = re.match(r"(?:java\.util\.)?Map<String,(\w+)>", ret)
        if map_of:
            inner = map_of.group(1)
            if inner in bodies:
                paths += mapping_paths(inner, bodies, key + ".*", seen)
            else:
                paths.append(key + ".*")
        elif ret in bodies:
            paths += mapping_paths(ret, bodies, key, seen)
        else:
            paths.append(key)
    return paths


def quarkus_config_model(jars):
    """Quarkus configuration environment names from the extensions' config models: name -> phase."""
    names, patterns = {}, {}
    for jar in jars:
        try:
            with zipfile.ZipFile(jar) as z:
                if "META-INF/quarkus-config-doc/quarkus-config-model.json" not in z.namelist():
                    continue
                model = json.loads(z.read("META-INF/quarkus-config-doc/quarkus-config-model.json"))
        except (zipfile.BadZipFile, OSError, ValueError):
            continue
        for item in walk_items(model):
            for path in [item.get("path")] + list(item.get("additionalPaths") or []):
                if not isinstance(path, dict) or "environmentVariable" not in path:
                    continue
                env = path["environmentVariable"]
                phase = item.get("phase", "RUN_TIME")
                if '"' in path.get("property", ""):
                    # Map keys ("datasource-name") appear as _NAME_ in the variable: any key matches.
                    regex = re.sub(r"__[A-Z0-9_]+?_(?=_|$)", "_[A-Z0-9_]+", env)
                    patterns[regex] = phase
                else:
                    names[env] = phase
    return names, patterns


def walk_items(node):
    if isinstance(node, dict):
        if isinstance(node.get("path"), dict):
            yield node
        for value in node.values():
            yield from walk_items(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk_items(value)


def service_jars(repo, service, quarkus_version):
    built = glob.glob(os.path.join(repo, service, "target", "quarkus-app", "lib", "main", "*.jar"))
    if built:
        return built, "its built target/quarkus-app"
    m2 = os.path.expanduser("~/.m2/repository/io/quarkus")
    jars = glob.glob(os.path.join(m2, "*", quarkus_version, f"*-{quarkus_version}.jar"))
    return jars, f"every Quarkus {quarkus_version} extension in ~/.m2 (the service is not built)"


class ServiceConfig:
    """Everything one service reads from its environment."""

    def __init__(self, repo, service, quarkus_version, report):
        self.service = service
        keys, variables = set(), set()
        for path in [os.path.join(repo, service, "src/main/resources/application.properties"),
                     os.path.join(repo, "service-support/src/main/resources/META-INF/microprofile-config.properties")]:
            k, v = properties_knowledge(path)
            keys |= k
            variables |= v
        self.variables = variables
        self.exact = {env_form(k) for k in keys if not k.startswith("quarkus.")} | variables
        self.patterns = set()
        for root in [os.path.join(repo, service, "src/main/java"), os.path.join(repo, "service-support/src/main/java")]:
            self.patterns |= config_mapping_patterns(root)
        jars, source = service_jars(repo, service, quarkus_version)
        self.quarkus, self.quarkus_patterns = quarkus_config_model(jars)
        if not self.quarkus:
            report.note(f"{service}: no Quarkus configuration model found ({source}); QUARKUS_* names not checked")
            self.quarkus = None
        self.report = report

    def reads(self, name):
        """None if the service reads this variable, else why not."""
        if name in self.exact or name in IMAGE_VARIABLES:
            return None
        if any(re.fullmatch(p, name) for p in self.patterns):
            return None
        if name.startswith("QUARKUS_"):
            if self.quarkus is None:
                return None
            phase = self.quarkus.get(name)
            if phase is None:
                phase = next((ph for p, ph in self.quarkus_patterns.items() if re.fullmatch(p, name)), None)
            if phase is None:
                return "no Quarkus extension of this service has that configuration property"
            if phase != "RUN_TIME":
                return f"fixed at build time ({phase}): setting it in the environment changes nothing"
            return None
        return "not read by this service (no property, ${...} reference or @ConfigMapping path of that name)"


# --------------------------------------------------------------------------------------------
# Source tree
# --------------------------------------------------------------------------------------------

def check_sources(k8s, repo, report):
    yaml_files = [p for p in glob.glob(os.path.join(k8s, "**", "*.y*ml"), recursive=True)
                  if "node_modules" not in p and "/.validate" not in p]
    for path in yaml_files:
        try:
            with open(path, encoding="utf-8") as f:
                docs = [d for d in yaml.safe_load_all(f) if d is not None]
        except yaml.YAMLError as e:
            report.fail(rel(path, k8s), f"does not parse: {e}")
            continue
        for doc in docs:
            if isinstance(doc, dict) and doc.get("kind") == "Secret" and (doc.get("data") or doc.get("stringData")):
                report.fail(rel(path, k8s), f"Secret {doc.get('metadata', {}).get('name')} holds values in the repository")
        if os.path.basename(path) == "kustomization.yaml":
            check_kustomization(path, docs[0] if docs else {}, k8s, repo, report)
    return len(yaml_files)


def check_kustomization(path, kust, k8s, repo, report):
    folder = os.path.dirname(path)
    where = rel(path, k8s)
    named = list(kust.get("resources") or [])
    named += [p["path"] for p in kust.get("patches") or [] if isinstance(p, dict) and "path" in p]
    for entry in named:
        if not os.path.exists(os.path.join(folder, entry)):
            report.fail(where, f"names {entry}, which does not exist")
    for generator in kust.get("configMapGenerator") or []:
        for source in generator_files(generator):
            if not os.path.exists(os.path.join(folder, source)):
                report.fail(where, f"ConfigMap {generator['name']} reads {source}, which does not exist")
    for generator in kust.get("secretGenerator") or []:
        if generator.get("literals"):
            report.fail(where, f"Secret {generator['name']} has literal values in the repository")
        for source in generator_files(generator):
            full = os.path.join(folder, source)
            if not git_ignored(repo, full):
                report.fail(where, f"Secret {generator['name']} reads {source}, which git does not ignore")
            if source.endswith(".env"):
                example = os.path.join(folder, source[:-4] + ".example.env")
                if not os.path.exists(example):
                    report.fail(where, f"Secret {generator['name']} reads {source} but there is no {os.path.basename(example)}")
                else:
                    check_example_env(example, k8s, report)


def generator_files(generator):
    files = list(generator.get("envs") or [])
    files += [f.split("=", 1)[-1] for f in generator.get("files") or []]
    return files


def check_example_env(path, k8s, report):
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if line and not line.startswith("#") and "=" in line and line.split("=", 1)[1].strip():
                report.fail(f"{rel(path, k8s)}:{n}", "an example secrets file carries a value; leave it empty")


def git_ignored(repo, path):
    result = subprocess.run(["git", "-C", repo, "check-ignore", "-q", path], capture_output=True)
    return result.returncode == 0


def rel(path, base):
    return os.path.relpath(path, base)


# --------------------------------------------------------------------------------------------
# A rendered overlay
# --------------------------------------------------------------------------------------------

def check_rendered(label, objects, configs, report, operator_secrets_ok=True):
    by_kind = {}
    for obj in objects:
        by_kind.setdefault(obj["kind"], []).append(obj)
    index = {(o["kind"], o["metadata"]["name"]): o for o in objects}
    namespaces = [o["metadata"]["name"] for o in by_kind.get("Namespace", [])]
    expected_ns = namespaces[0] if len(namespaces) == 1 else None

    for obj in objects:
        where = f"{label}: {obj['kind']}/{obj['metadata']['name']}"
        if expected_ns and obj["kind"] not in NAMESPACED_EXEMPT and obj["metadata"].get("namespace") != expected_ns:
            report.fail(where, f"not in the overlay's namespace {expected_ns}")
        if obj["kind"] == "Secret" and obj.get("stringData"):
            report.fail(where, "stringData in a rendered Secret: secrets come from generator files only")

    clusters = by_kind.get("Cluster", [])
    databases = set()
    for cluster in clusters:
        initdb = cluster["spec"].get("bootstrap", {}).get("initdb", {})
        if initdb.get("database"):
            databases.add((cluster["metadata"]["name"], initdb["database"], initdb.get("owner")))
        check_postgres_cluster(label, cluster, report)
    for db in by_kind.get("Database", []):
        databases.add((db["spec"]["cluster"]["name"], db["spec"]["name"], db["spec"].get("owner")))
        if db["spec"]["cluster"]["name"] not in {c["metadata"]["name"] for c in clusters}:
            report.fail(f"{label}: Database/{db['metadata']['name']}", "names a Cluster that is not in the overlay")
    operator_secrets = {}
    for cluster in clusters:
        name = cluster["metadata"]["name"]
        operator_secrets[f"{name}-app"] = {"username", "password", "dbname", "host", "port", "uri", "jdbc-uri", "pgpass"}
        operator_secrets[f"{name}-ca"] = {"ca.crt", "ca.key"}

    workloads = by_kind.get("Deployment", []) + by_kind.get("StatefulSet", [])
    for workload in workloads:
        check_workload(label, workload, index, operator_secrets, report)
    for service in by_kind.get("Service", []):
        check_service(label, service, workloads, report)
    check_disruption_budgets(label, by_kind, workloads, report)
    nats = check_nats(label, index, by_kind, report)

    for deployment in by_kind.get("Deployment", []):
        name = deployment["metadata"]["name"]
        if name in configs:
            check_service_deployment(label, deployment, index, configs[name], databases, nats, clusters, by_kind, report)
    missing = set(SERVICES) - {d["metadata"]["name"] for d in by_kind.get("Deployment", [])}
    for name in sorted(missing):
        report.fail(label, f"no Deployment for {name}")


def check_postgres_cluster(label, cluster, report):
    where = f"{label}: Cluster/{cluster['metadata']['name']}"
    spec = cluster["spec"]
    instances = spec.get("instances", 1)
    sync = spec.get("postgresql", {}).get("synchronous")
    if sync and sync.get("number", 0) >= instances:
        report.fail(where, f"synchronous.number {sync.get('number')} needs more than {instances} instance(s)")
    if not spec.get("storage", {}).get("size"):
        report.fail(where, "no storage size")
    if spec.get("enableSuperuserAccess"):
        report.fail(where, "superuser access enabled: the services need only the owner role")
    image = spec.get("imageName", "")
    if image and (":" not in image or image.endswith(":latest")):
        report.fail(where, f"image {image} has no fixed version")


def containers_of(workload):
    return workload["spec"]["template"]["spec"].get("containers", [])


def check_workload(label, workload, index, operator_secrets, report):
    kind, name = workload["kind"], workload["metadata"]["name"]
    where = f"{label}: {kind}/{name}"
    spec = workload["spec"]
    template = spec["template"]
    labels = template["metadata"].get("labels", {})
    selector = spec["selector"].get("matchLabels", {})
    if not selector or any(labels.get(k) != v for k, v in selector.items()):
        report.fail(where, f"selector {selector} does not match the pod labels {labels}")
    pod = template["spec"]
    security = pod.get("securityContext", {})
    if not security.get("runAsNonRoot"):
        report.fail(where, "pod securityContext.runAsNonRoot is not true")
    if security.get("seccompProfile", {}).get("type") != "RuntimeDefault":
        report.fail(where, "pod seccompProfile is not RuntimeDefault")
    if pod.get("automountServiceAccountToken") is not False:
        report.fail(where, "mounts a service-account token it does not use")
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    claim_templates = {c["metadata"]["name"] for c in spec.get("volumeClaimTemplates", [])}
    for volume in volumes.values():
        check_volume_source(where, volume, index, operator_secrets, report)
    for container in containers_of(workload):
        cwhere = f"{where} container {container['name']}"
        image = container.get("image", "")
        tag = image.rsplit(":", 1)[1] if ":" in image.rsplit("/", 1)[-1] else ""
        if not tag or tag == "latest":
            report.fail(cwhere, f"image {image} has no fixed tag")
        ports = {p.get("name"): p["containerPort"] for p in container.get("ports", [])}
        for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
            check_probe(cwhere, probe, container.get(probe), ports, report)
        check_resources(cwhere, container.get("resources", {}), report)
        csec = container.get("securityContext", {})
        if csec.get("allowPrivilegeEscalation") is not False:
            report.fail(cwhere, "allowPrivilegeEscalation is not false")
        if "ALL" not in (csec.get("capabilities", {}).get("drop") or []):
            report.fail(cwhere, "does not drop ALL capabilities")
        if not csec.get("readOnlyRootFilesystem"):
            report.fail(cwhere, "root filesystem is writable")
        mounts = container.get("volumeMounts", [])
        for mount in mounts:
            if mount["name"] not in volumes and mount["name"] not in claim_templates:
                report.fail(cwhere, f"mounts {mount['name']}, which is no volume of the pod")
        for source in container.get("envFrom", []):
            ref = source.get("configMapRef") or source.get("secretRef")
            kind_of = "ConfigMap" if "configMapRef" in source else "Secret"
            if ref and (kind_of, ref["name"]) not in index:
                report.fail(cwhere, f"takes its environment from {kind_of} {ref['name']}, which is not in the overlay")
        for env in container.get("env", []):
            check_env_reference(cwhere, env, index, operator_secrets, report)


def check_volume_source(where, volume, index, operator_secrets, report):
    if "configMap" in volume and ("ConfigMap", volume["configMap"]["name"]) not in index:
        report.fail(where, f"volume {volume['name']} names ConfigMap {volume['configMap']['name']}, which is not in the overlay")
    if "secret" in volume:
        name = volume["secret"]["secretName"]
        items = [i["key"] for i in volume["secret"].get("items", [])]
        if name in operator_secrets:
            if name.endswith("-ca") and items != ["ca.crt"]:
                report.fail(where, f"volume {volume['name']} must mount only ca.crt of {name}, never the CA's private key")
            for key in items:
                if key not in operator_secrets[name]:
                    report.fail(where, f"volume {volume['name']}: the operator's {name} has no key {key}")
        elif ("Secret", name) not in index:
            report.fail(where, f"volume {volume['name']} names Secret {name}, which is not in the overlay")


def check_env_reference(where, env, index, operator_secrets, report):
    source = env.get("valueFrom", {})
    if "secretKeyRef" in source:
        ref = source["secretKeyRef"]
        if ref["name"] in operator_secrets:
            if ref["key"] not in operator_secrets[ref["name"]]:
                report.fail(where, f"{env['name']}: the operator's {ref['name']} has no key {ref['key']}")
        elif ("Secret", ref["name"]) not in index:
            report.fail(where, f"{env['name']}: Secret {ref['name']} is not in the overlay")
        elif ref["key"] not in (index[("Secret", ref["name"])].get("data") or {}):
            report.fail(where, f"{env['name']}: Secret {ref['name']} has no key {ref['key']}")
    if "configMapKeyRef" in source:
        ref = source["configMapKeyRef"]
        cm = index.get(("ConfigMap", ref["name"]))
        if cm is None or ref["key"] not in (cm.get("data") or {}):
            report.fail(where, f"{env['name']}: ConfigMap {ref['name']} has no key {ref['key']}")
    if "value" in env and re.search(r"(?i)(token|password|secret)", env["name"]) and env["value"]:
        report.fail(where, f"{env['name']} has a literal value; take it from a Secret")


def check_probe(where, kind, probe, ports, report):
    if not probe:
        report.fail(where, f"no {kind}")
        return
    handler = probe.get("httpGet") or probe.get("tcpSocket") or probe.get("exec") or probe.get("grpc")
    if not handler:
        report.fail(where, f"{kind} has no handler")
        return
    port = handler.get("port") if isinstance(handler, dict) else None
    if isinstance(port, str) and port not in ports:
        report.fail(where, f"{kind} uses port {port}, which the container does not name")


QUANTITY = re.compile(r"^([0-9.]+)([a-zA-Z]*)$")
UNITS = {"": 1, "m": 1e-3, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "Ki": 1024, "Mi": 1024 ** 2, "Gi": 1024 ** 3, "Ti": 1024 ** 4}


def quantity(value):
    match = QUANTITY.match(str(value))
    if not match or match.group(2) not in UNITS:
        raise ValueError(value)
    return float(match.group(1)) * UNITS[match.group(2)]


def check_resources(where, resources, report):
    for part in ("requests", "limits"):
        for resource in ("cpu", "memory"):
            if resource not in resources.get(part, {}):
                report.fail(where, f"no {resource} {part[:-1]}")
    for resource in ("cpu", "memory"):
        try:
            request = quantity(resources.get("requests", {}).get(resource, 0))
            limit = quantity(resources.get("limits", {}).get(resource, 0))
        except ValueError as e:
            report.fail(where, f"{resource}: {e} is not a quantity")
            continue
        if limit and request > limit:
            report.fail(where, f"{resource} request above its limit")


def pod_matches(selector, workload):
    labels = workload["spec"]["template"]["metadata"].get("labels", {})
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def check_service(label, service, workloads, report):
    where = f"{label}: Service/{service['metadata']['name']}"
    selector = service["spec"].get("selector", {})
    targets = [w for w in workloads if pod_matches(selector, w)]
    if len(targets) != 1:
        report.fail(where, f"selector {selector} matches {len(targets)} workloads, not one")
        return
    names = {p.get("name") for c in containers_of(targets[0]) for p in c.get("ports", [])}
    numbers = {p["containerPort"] for c in containers_of(targets[0]) for p in c.get("ports", [])}
    for port in service["spec"].get("ports", []):
        target = port.get("targetPort", port["port"])
        if (isinstance(target, str) and target not in names) or (isinstance(target, int) and target not in numbers):
            report.fail(where, f"port {port['port']} targets {target}, which {targets[0]['metadata']['name']} does not expose")


def check_disruption_budgets(label, by_kind, workloads, report):
    budgets = by_kind.get("PodDisruptionBudget", [])
    for workload in workloads:
        replicas = workload["spec"].get("replicas", 1)
        mine = [b for b in budgets if pod_matches(b["spec"].get("selector", {}).get("matchLabels", {}), workload)]
        where = f"{label}: {workload['kind']}/{workload['metadata']['name']}"
        if replicas > 1 and not mine:
            report.fail(where, f"{replicas} replicas but no PodDisruptionBudget")
        for budget in mine:
            if "minAvailable" in budget["spec"] and isinstance(budget["spec"]["minAvailable"], int) \
                    and budget["spec"]["minAvailable"] >= replicas:
                report.fail(where, f"PodDisruptionBudget {budget['metadata']['name']} blocks every drain "
                                   f"(minAvailable {budget['spec']['minAvailable']} of {replicas})")


def check_nats(label, index, by_kind, report):
    """The NATS StatefulSet and its configuration agree: one route per server, none when alone."""
    sts = index.get(("StatefulSet", "nats"))
    if sts is None:
        report.fail(label, "no NATS StatefulSet")
        return None
    where = f"{label}: StatefulSet/nats"
    replicas = sts["spec"].get("replicas", 1)
    image = containers_of(sts)[0]["image"]
    version = re.search(r":(\d+)\.(\d+)", image)
    if not version or (int(version.group(1)), int(version.group(2))) < (2, 10):
        report.fail(where, f"image {image}: NATS 2.10 or newer is required")
    config_volume = next((v for v in sts["spec"]["template"]["spec"].get("volumes", []) if "configMap" in v), None)
    cm = index.get(("ConfigMap", config_volume["configMap"]["name"])) if config_volume else None
    conf = (cm or {}).get("data", {}).get("nats.conf")
    if conf is None:
        report.fail(where, "no nats.conf in its configuration volume")
        return {"replicas": replicas}
    routes = re.findall(r"nats://([\w.-]+):6222", conf)
    service = sts["spec"]["serviceName"]
    expected = [f"nats-{i}.{service}" for i in range(replicas)] if replicas > 1 else []
    if sorted(routes) != sorted(expected):
        report.fail(where, f"nats.conf routes {routes} do not match {replicas} server(s) behind {service}: {expected}")
    if replicas > 1 and "cluster" not in conf:
        report.fail(where, "several servers but no cluster block in nats.conf")
    if not re.search(r"store_dir:\s*/data", conf):
        report.fail(where, "JetStream store_dir is not the /data volume")
    # Logins: nats.conf includes users.conf (generated from the subject catalogue), which names each
    # user's password as an environment variable; every one must come from a Secret.
    users_conf = (cm or {}).get("data", {}).get("users.conf")
    users = {}
    if not re.search(r'(?m)^include\s+"?users\.conf"?\s*$', conf) or users_conf is None:
        report.fail(where, "nats.conf lets clients in without a login (include \"users.conf\", authorization { users: [...] })")
    else:
        logins = re.findall(r'user:\s*"?([\w-]+)"?\s*[,\n]\s*password:\s*\$(\w+)', users_conf)
        if not logins:
            report.fail(where, "users.conf lets clients in without a login (no user with a $PASSWORD variable)")
        sts_env = {e["name"]: e for e in containers_of(sts)[0].get("env", [])}
        for user, variable in logins:
            ref = sts_env.get(variable, {}).get("valueFrom", {}).get("secretKeyRef")
            if not ref:
                report.fail(where, f"the NATS password ${variable} of user {user} does not come from a Secret")
            else:
                users[user] = (ref["name"], ref["key"])
    headless = index.get(("Service", service))
    if headless is None or headless["spec"].get("clusterIP") != "None" or not headless["spec"].get("publishNotReadyAddresses"):
        report.fail(where, f"{service} must be a headless Service that publishes not-ready pods (routes form before readiness)")
    store = re.search(r"max_file_store:\s*(\d+)\s*([KMGT]i?B?)?\b", conf, re.I)
    return {"replicas": replicas, "labels": sts["spec"]["template"]["metadata"]["labels"],
            "users": users,
            "file_store": nats_size(store.group(1), store.group(2)) if store else None}


def nats_size(number, unit):
    """A nats.conf size: the suffixes K, M, G, T (with or without B or i) are powers of 1024."""
    power = "KMGT".index(unit[0].upper()) + 1 if unit else 0
    return int(number) * 1024 ** power


# What service-support's microprofile-config.properties gives the two Limits streams.
STREAM_BYTES_DEFAULTS = {"ORRERY_NATS_EVENTS_MAX_BYTES": 1073741824, "ORRERY_NATS_DLQ_MAX_BYTES": 268435456}


def env_of(container, index):
    """The container's environment as the kubelet builds it: envFrom in order, then env."""
    values = {}
    for source in container.get("envFrom", []):
        ref = source.get("configMapRef")
        if ref and ("ConfigMap", ref["name"]) in index:
            values.update(index[("ConfigMap", ref["name"])].get("data") or {})
    for env in container.get("env", []):
        values[env["name"]] = env.get("value", "<from " + ",".join(env.get("valueFrom", {}).keys()) + ">")
    return values


def mounted(path, container):
    return any(path == m["mountPath"] or path.startswith(m["mountPath"].rstrip("/") + "/")
               for m in container.get("volumeMounts", []))


def check_service_deployment(label, deployment, index, config, databases, nats, clusters, by_kind, report):
    name = deployment["metadata"]["name"]
    where = f"{label}: Deployment/{name}"
    container = containers_of(deployment)[0]
    env = env_of(container, index)
    for variable in sorted(env):
        why = config.reads(variable)
        if why:
            report.fail(where, f"environment variable {variable}: {why}")

    pod_annotations = deployment["spec"]["template"]["metadata"].get("annotations", {})
    http = next((p["containerPort"] for p in container.get("ports", []) if p.get("name") == "http"), None)
    if pod_annotations.get("prometheus.io/scrape") != "true" or pod_annotations.get("prometheus.io/path") != "/q/metrics" \
            or pod_annotations.get("prometheus.io/port") != str(http):
        report.fail(where, "Prometheus annotations must name /q/metrics on the http port")
    for probe, path in (("startupProbe", "/q/health/started"), ("livenessProbe", "/q/health/live"),
                        ("readinessProbe", "/q/health/ready")):
        got = (container.get(probe) or {}).get("httpGet", {}).get("path")
        if got != path:
            report.fail(where, f"{probe} asks {got}, not {path}")
    if not mounted("/tmp", container):
        report.fail(where, "no writable /tmp (the JVM and Vert.x write scratch files there)")

    # Paths the configuration names must be mounted (certificates, keys, watched folders).
    for variable, value in env.items():
        if isinstance(value, str):
            for path in re.findall(r"(?:^|[=,])(/(?:etc|data)/[\w./-]+)", value):
                if not mounted(path, container):
                    report.fail(where, f"{variable} names {path}, which no volume provides")

    replicas = deployment["spec"].get("replicas", 1)
    strategy = deployment["spec"].get("strategy", {}).get("type", "RollingUpdate")
    if name in SINGLETONS:
        if replicas != 1:
            report.fail(where, f"must run exactly one replica, not {replicas}")
        if strategy != "Recreate":
            report.fail(where, "a singleton must use the Recreate strategy (old and new must never overlap)")
    if name == "canfar-adapter" and env.get("ORRERY_CANFAR_BACKEND") != "skaha":
        report.fail(where, "ORRERY_CANFAR_BACKEND must be skaha on Kubernetes (the local backend is one per machine)")
    if name == "staging-service" and env.get("ORRERY_STAGING_BACKEND") != "vospace":
        report.fail(where, "ORRERY_STAGING_BACKEND must be vospace on Kubernetes (skaha sessions read VOSpace)")

    if nats:
        url = env.get("ORRERY_NATS_URL", "")
        match = re.fullmatch(r"nats://([\w-]+):(\d+)", url)
        target = index.get(("Service", match.group(1))) if match else None
        if not target or int(match.group(2)) not in [p["port"] for p in target["spec"]["ports"]] \
                or not all(nats["labels"].get(k) == v for k, v in target["spec"]["selector"].items()):
            report.fail(where, f"ORRERY_NATS_URL {url!r} is not a Service port of the NATS servers")
        if str(env.get("ORRERY_NATS_REPLICAS")) != str(nats["replicas"]):
            report.fail(where, f"ORRERY_NATS_REPLICAS {env.get('ORRERY_NATS_REPLICAS')} but {nats['replicas']} NATS server(s)")
        check_nats_client_allowed(where, deployment, by_kind, report)
        reserved = sum(int(env.get(k, default)) for k, default in STREAM_BYTES_DEFAULTS.items())
        if nats.get("file_store") is not None and reserved > nats["file_store"]:
            report.fail(where, f"its streams reserve {reserved} bytes (ORRERY_NATS_EVENTS_MAX_BYTES + "
                               f"ORRERY_NATS_DLQ_MAX_BYTES) but nats.conf's max_file_store is {nats['file_store']}")
        # Each service logs in as itself, with its own password from the Secret key the servers use.
        user = env.get("ORRERY_NATS_USERNAME")
        if nats.get("users") is not None:
            if user != name:
                report.fail(where, f"logs in to NATS as {user!r}, not as itself ({name!r}): each service has its own user")
            elif user not in nats["users"]:
                report.fail(where, f"logs in to NATS as {user!r}, but users.conf has no such user")
            password = next((e for e in container.get("env", []) if e["name"] == "ORRERY_NATS_PASSWORD"), {})
            ref = password.get("valueFrom", {}).get("secretKeyRef", {})
            expected = nats["users"].get(user)
            if expected and (ref.get("name"), ref.get("key")) != expected:
                report.fail(where, f"its NATS password does not come from the Secret key the NATS servers use for user "
                                   f"{user} ({expected[0]} {expected[1]})")

    if "ORRERY_DB_REACTIVE_URL" in config.variables and name != "fs-watcher":
        check_database(where, env, container, databases, clusters, report)


def check_nats_client_allowed(where, deployment, by_kind, report):
    labels = deployment["spec"]["template"]["metadata"].get("labels", {})
    for policy in by_kind.get("NetworkPolicy", []):
        if policy["spec"]["podSelector"].get("matchLabels", {}).get("app.kubernetes.io/name") != "nats":
            continue
        allowed = False
        for rule in policy["spec"].get("ingress", []):
            if 4222 not in [p.get("port") for p in rule.get("ports", [])]:
                continue
            peers = rule.get("from")
            if not peers or any(all(labels.get(k) == v for k, v in p.get("podSelector", {}).get("matchLabels", {}).items())
                                for p in peers if "podSelector" in p):
                allowed = True
        if not allowed:
            report.fail(where, f"NetworkPolicy {policy['metadata']['name']} does not let it reach NATS on 4222")


def check_database(where, env, container, databases, clusters, report):
    reactive = env.get("ORRERY_DB_REACTIVE_URL", "")
    jdbc = env.get("ORRERY_DB_JDBC_URL", "")
    r = re.fullmatch(r"postgresql://([\w-]+):5432/(\w+)(\?.*)?", reactive)
    j = re.fullmatch(r"jdbc:postgresql://([\w-]+):5432/(\w+)(\?.*)?", jdbc)
    if not r or not j:
        report.fail(where, f"database URLs not understood: {reactive!r} / {jdbc!r}")
        return
    if r.group(1) != j.group(1) or r.group(2) != j.group(2):
        report.fail(where, "the reactive and JDBC URLs name different databases")
    host, database = r.group(1), r.group(2)
    cluster = next((c["metadata"]["name"] for c in clusters if host == c["metadata"]["name"] + "-rw"), None)
    if cluster is None:
        report.fail(where, f"database host {host} is not the read-write Service of a CloudNativePG cluster")
        return
    owners = {owner for c, db, owner in databases if c == cluster and db == database}
    if not owners:
        report.fail(where, f"database {database} is neither made by initdb nor by a Database resource of {cluster}")
    query = dict(p.split("=", 1) for p in (j.group(3) or "?").lstrip("?").split("&") if "=" in p)
    if query.get("sslmode") != "verify-full" or env.get("QUARKUS_DATASOURCE_REACTIVE_POSTGRESQL_SSL_MODE") != "verify-full":
        report.fail(where, "connections to PostgreSQL must verify the server (sslmode verify-full, reactive and JDBC)")
    for variable in ("ORRERY_DB_USER", "ORRERY_DB_PASSWORD"):
        ref = next((e for e in container.get("env", []) if e["name"] == variable), {})
        secret = ref.get("valueFrom", {}).get("secretKeyRef", {}).get("name")
        if secret != f"{cluster}-app":
            report.fail(where, f"{variable} must come from the operator's secret {cluster}-app, not {secret}")


# --------------------------------------------------------------------------------------------
# CloudNativePG resources against the operator's CRD schemas (optional)
# --------------------------------------------------------------------------------------------

def check_against_crds(label, objects, crd_file, report):
    try:
        import jsonschema
    except ImportError:
        report.note("jsonschema is not installed: CloudNativePG resources not checked against the CRDs")
        return
    with open(crd_file, encoding="utf-8") as f:
        crds = [d for d in yaml.safe_load_all(f) if d and d.get("kind") == "CustomResourceDefinition"]
    schemas = {}
    for crd in crds:
        for version in crd["spec"]["versions"]:
            schemas[(f"{crd['spec']['group']}/{version['name']}", crd["spec"]["names"]["kind"])] = \
                version["schema"]["openAPIV3Schema"]
    checked = 0
    for obj in objects:
        schema = schemas.get((obj["apiVersion"], obj["kind"]))
        if schema is None:
            continue
        checked += 1
        for error in jsonschema.Draft7Validator(strict(schema)).iter_errors(obj):
            path = "/".join(str(p) for p in error.absolute_path)
            report.fail(f"{label}: {obj['kind']}/{obj['metadata']['name']}", f"/{path}: {error.message}")
    report.note(f"{label}: {checked} custom resources checked against {os.path.basename(crd_file)}")


def strict(schema):
    """The CRD schema with unknown fields refused, as the API server prunes (drops) them."""
    if isinstance(schema, dict):
        out = {k: strict(v) for k, v in schema.items() if not k.startswith("x-kubernetes")}
        if schema.get("type") == "object" and "properties" in schema and "additionalProperties" not in schema \
                and not schema.get("x-kubernetes-preserve-unknown-fields"):
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [strict(s) for s in schema]
    return schema


# --------------------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repo", required=True)
    parser.add_argument("--k8s", required=True)
    parser.add_argument("--rendered", action="append", default=[], help="label=path of a kustomize output")
    parser.add_argument("--json-dir", help="write each rendered overlay as JSON here (for the schema check)")
    parser.add_argument("--crds", help="CustomResourceDefinitions (e.g. CloudNativePG's release manifest)")
    parser.add_argument("--skip-sources", action="store_true", help="the source tree was checked already")
    args = parser.parse_args()
    report = Report()

    if not args.skip_sources:
        count = check_sources(args.k8s, args.repo, report)
        if not report.problems:
            print(f"  source: {count} YAML files parse; kustomizations name existing files; no secret values committed")
    if not args.rendered:
        return finish(report)

    quarkus_version = re.search(r"<quarkus.platform.version>([^<]+)<",
                                open(os.path.join(args.repo, "pom.xml"), encoding="utf-8").read()).group(1)
    configs = {s: ServiceConfig(args.repo, s, quarkus_version, report) for s in SERVICES}
    for item in args.rendered:
        label, path = item.split("=", 1)
        with open(path, encoding="utf-8") as f:
            objects = [d for d in yaml.safe_load_all(f) if d]
        before = len(report.problems)
        check_rendered(label, objects, configs, report)
        if args.crds:
            check_against_crds(label, objects, args.crds, report)
        if args.json_dir:
            with open(os.path.join(args.json_dir, f"{label}.json"), "w", encoding="utf-8") as f:
                json.dump(objects, f)
        status = "ok" if len(report.problems) == before else f"{len(report.problems) - before} problem(s)"
        print(f"  {label}: {len(objects)} objects, structure and configuration {status}")

    return finish(report)


def finish(report):
    for note in report.notes:
        print(f"  note: {note}")
    for problem in report.problems:
        print(problem)
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
