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
# `mvn -B package && tools/deploy.sh <stage>` ships the jar the tests ran against without building it twice.
# The jar is reproducible (pom.xml: project.build.outputTimestamp), so the same sources give the same files here.
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

.PHONY: build-InteractionsFunction
build-InteractionsFunction: $(jar)
	@test -n '$(ARTIFACTS_DIR)' || { echo 'make: ARTIFACTS_DIR is not set (sam build sets it; by hand: ARTIFACTS_DIR=$$(mktemp -d))' >&2; exit 2; }
	@mkdir -p '$(ARTIFACTS_DIR)'
	@# Never delete what is there (ARTIFACTS_DIR may be mistyped); sam build always passes a fresh one.
	@test -z "$$(ls -A '$(ARTIFACTS_DIR)')" || { echo 'make: $(ARTIFACTS_DIR) is not empty: a package mixed with an older one would ship both' >&2; exit 2; }
	unzip -q '$(jar)' -d '$(ARTIFACTS_DIR)'

$(jar): $(sources)
	cd '$(root)' && $(MVN) $(MVN_FLAGS) package -DskipTests
	@# Maven may leave an up-to-date jar untouched; it now matches the sources, so record that.
	@touch '$@'
