# Sourced by ./lpu, ./run-tests and .ci/run: sets JAVA_HOME to a JDK >= 25, or explains and exits.
# Order: $JAVA_HOME if it is >= 25, else the newest /usr/lib/jvm/*25* (or later) that has javac.

lpu4j_jdk_major() { # prints the feature version of the JDK at $1, or nothing
  [ -x "$1/bin/javac" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}

lpu4j_find_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$candidate" ] || continue
    major="$(lpu4j_jdk_major "$candidate")"
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  {
    echo "lpu4j needs a JDK 25 or newer (javac included), and found none."
    echo "  Looked at: JAVA_HOME=${JAVA_HOME:-<unset>} and /usr/lib/jvm/*."
    echo "  Install one (e.g. Temurin 25 from https://adoptium.net) and run again with"
    echo "  JAVA_HOME=/path/to/jdk-25 $0 ..."
  } >&2
  exit 1
}

lpu4j_find_maven() {
  command -v mvn >/dev/null 2>&1 && return 0
  echo "lpu4j builds with Apache Maven (3.8 or newer), and 'mvn' is not on PATH. Install it (e.g. 'apt-get install maven')." >&2
  exit 1
}

lpu4j_find_jdk
lpu4j_find_maven
# Maven's own Guava calls sun.misc.Unsafe; JDK 24+ warns about it on every build. Quiet that one.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
