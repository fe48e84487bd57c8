// Vite's `?raw` suffix imports a file's text; policies are hashed from their exact bytes.
declare module '*?raw' {
  const text: string;
  export default text;
}
