import HavenCore

/// havend's refusal as the person reads it: what happened in their language, and what to do.
public enum RefusalView {
    public static func render(_ error: HavenError, words: Words) -> HTML {
        """
        <div class="refusal" role="alert"><p>\(error.message)</p>\(error.hint.map { HTML("<p class=\"hint\">\($0)</p>") } ?? .empty)</div>
        """
    }
}
