package org.exkb.engine.session;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Function;

/**
 * A value made on a daemon thread while the caller does other work (a cold start reads evidence
 * while the rules and the knowledge load). {@link #get()} waits for it and throws what making it
 * threw; an interrupt while waiting is kept for the caller, since the value is needed all the same.
 */
public final class Background<T> {
    private final FutureTask<T> task;
    private volatile T value;

    private Background(FutureTask<T> task, T value) {
        this.task = task;
        this.value = value;
    }

    /** Starts making the value on a daemon thread of this name. */
    public static <T> Background<T> start(String threadName, Callable<T> make) {
        FutureTask<T> task = new FutureTask<>(make);
        Thread t = new Thread(task, threadName);
        t.setDaemon(true);
        t.start();
        return new Background<>(task, null);
    }

    /** A value that is already there. */
    public static <T> Background<T> of(T value) {
        return new Background<>(null, value);
    }

    /**
     * The value; waits for it. A RuntimeException or Error from making it is rethrown as it was; a
     * checked exception is wrapped by {@code wrap}.
     */
    public T get(Function<Throwable, RuntimeException> wrap) {
        T v = value;
        if (v != null) {
            return v;
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    v = task.get();
                    value = v;
                    return v;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof RuntimeException r) {
                        throw r;
                    }
                    if (c instanceof Error r) {
                        throw r;
                    }
                    throw wrap.apply(c);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
