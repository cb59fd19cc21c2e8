package io.eventfold.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorTextTest {

    @Test
    void shouldKeepATextOfAtMostTheBound() {
        String text = "y".repeat(ErrorText.MAX_LENGTH);

        assertThat(ErrorText.bounded(text)).isSameAs(text);
    }

    @Test
    void shouldCutALongerTextAndSayHowMuchWasLeftOut() {
        String bounded = ErrorText.bounded("x".repeat(5_000));

        assertThat(bounded).isEqualTo("x".repeat(1024) + "… (3,976 more characters)");
    }

    @Test
    void shouldNotCutASurrogatePairInHalf() {
        String text = "a".repeat(ErrorText.MAX_LENGTH - 1) + "😀" + "b".repeat(10);

        String bounded = ErrorText.bounded(text);

        assertThat(bounded).startsWith("a".repeat(ErrorText.MAX_LENGTH - 1) + "…").endsWith("(12 more characters)");
    }

    @Test
    void shouldBoundTheMessageAndErrorTypeOfAFailedResult() {
        CommandResult.Failed<Object, Object> failed = new CommandResult.Failed<>("c-1", "a-1", 0,
                "com.acme." + "Z".repeat(2_000), "cannot decode: " + "[\"t\",".repeat(100_000));

        assertThat(failed.message()).hasSizeLessThan(ErrorText.MAX_LENGTH + 40).endsWith("more characters)");
        assertThat(failed.errorType()).hasSizeLessThan(ErrorText.MAX_LENGTH + 40);
    }
}
