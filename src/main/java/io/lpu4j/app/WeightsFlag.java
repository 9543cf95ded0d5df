package io.lpu4j.app;

import io.lpu4j.engine.plan.WeightFormat;

/** The {@code --weights} value every command takes, read the same way everywhere. */
final class WeightsFlag {
    private WeightsFlag() {
    }

    /** The format a {@code --weights} value names, or a one-line user error listing the choices. */
    static WeightFormat parse(String value) {
        return WeightFormat.parse(value).orElseThrow(() -> new UserError(
                "--weights " + value + ": unknown weight format (expected one of " + WeightFormat.choices() + ")"));
    }
}
