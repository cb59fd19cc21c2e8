package io.eventfold.testkit.internal;

import java.util.List;

/**
 * Where the topology wrote what a process manager did with one input, for the checks that look
 * past the decoded commands.
 *
 * @param commands the command records the manager sent now, in order (not those it sent again)
 * @param deadLetters how many records went to the manager's dead-letter topic
 */
public record ProcessRecords(List<Sent> commands, int deadLetters) {

    public static final ProcessRecords NONE = new ProcessRecords(List.of(), 0);

    public ProcessRecords {
        commands = List.copyOf(commands);
    }

    /**
     * The key and Eventfold headers of one command record.
     *
     * @param processManagerHeader {@code eventfold.process-manager}
     * @param replyTopicHeader {@code eventfold.reply-topic}
     */
    public record Sent(String key, String commandIdHeader, String processManagerHeader, String replyTopicHeader) {
    }
}
