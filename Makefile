# The Lambda function's build for `sam build` (template.yaml: the function's Metadata BuildMethod: makefile).
# SAM runs `make --makefile <this file> build-InteractionsFunction` with ARTIFACTS_DIR set to an empty
# directory it then zips as the deployment package:
# https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/building-custom-runtimes.html
#
# The package is the shaded jar's *contents*, not the jar: Lambda extracts a package into /var/task and puts that
# directory on the classpath (plus /var/task/lib/*.jar), https://docs.aws.amazon.com/lambda/latest/dg/java-package.html.
# When the jar itself was the package, Lambda extracted it the same way, so these are the same files in the same
# places: the handler class, META-INF/services, the SnapStart priming. (A jar under lib/ would load differently:
# from a jar the JVM honours the manifest's Multi-Release entries, from a directory it does not.)
#
# Maven builds the jar only when pom.xml or something under src/main is newer than it, so
# `mvn -B package && sam build` ships the jar the tests ran against without building it twice.
# The jar is reproducible (pom.xml: project.build.outputTimestamp), so the same sources give the same files here.
#
# The package also holds $(inputs): the SHA-256 of template.yaml and samconfig.toml as they were at the build.
# SAM publishes a new version, and moves `live`, only when the version's logical id changes, which it derives from
# the package's S3 key (the SAM CLI names an upload after a hash of the package's files) and from the template's
# *unresolved* properties: a deploy that changes only a parameter's value would otherwise
# update $LATEST, which serves nothing (https://github.com/aws/serverless-application-model/issues/1640). With the
# file, editing a parameter in samconfig.toml (or the template) changes the package, so `sam build && sam deploy
# --config-env <stage>` publishes. A value given only on the command line (`sam deploy --parameter-overrides`) is
# not in the file; tools/deploy.sh replaces the file with a digest of every parameter's value (README.md, "Deploy").
#
# By hand:  ARTIFACTS_DIR=$(mktemp -d) make build-InteractionsFunction
# Needs: make, unzip, and when the jar is out of date a JDK 17+ and Maven (MVN=... to use another one).
# Paths are make words: the checkout's path may not contain spaces.

# This file's directory, wherever SAM runs make from (by default a scratch copy of the sources).
root := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
jar := $(root)/target/valine-orchestrator.jar
# Every input of the jar. Directories count too: deleting a file changes its directory's time, so a class whose
# source was deleted is not shipped from an older jar.
sources := $(root)/pom.xml $(shell find '$(root)/src/main')

MVN ?= mvn
MVN_FLAGS ?= -B -q
# Inside the package; tools/deploy.sh writes the same path.
inputs := META-INF/valine-orchestrator/deploy-inputs.txt
# The deploy inputs this package records, those that exist (a build by hand may have no samconfig.toml).
recorded := $(notdir $(wildcard $(root)/template.yaml $(root)/samconfig.toml))
# sha256sum where there is one (Linux), else shasum (macOS); both print "<hash>  <file>".
sha256 := $(if $(shell command -v sha256sum),sha256sum,shasum -a 256)

.PHONY: build-InteractionsFunction
build-InteractionsFunction: $(jar)
	@test -n '$(ARTIFACTS_DIR)' || { echo 'make: ARTIFACTS_DIR is not set (sam build sets it; by hand: ARTIFACTS_DIR=$$(mktemp -d))' >&2; exit 2; }
	@mkdir -p '$(ARTIFACTS_DIR)'
	@# Never delete what is there (ARTIFACTS_DIR may be mistyped); sam build always passes a fresh one.
	@test -z "$$(ls -A '$(ARTIFACTS_DIR)')" || { echo 'make: $(ARTIFACTS_DIR) is not empty: a package mixed with an older one would ship both' >&2; exit 2; }
	unzip -q '$(jar)' -d '$(ARTIFACTS_DIR)'
	@mkdir -p '$(dir $(ARTIFACTS_DIR)/$(inputs))'
	cd '$(root)' && $(sha256) $(recorded) >'$(ARTIFACTS_DIR)/$(inputs)'

$(jar): $(sources)
	cd '$(root)' && $(MVN) $(MVN_FLAGS) package -DskipTests
	@# Maven may leave an up-to-date jar untouched; it now matches the sources, so record that.
	@touch '$@'
